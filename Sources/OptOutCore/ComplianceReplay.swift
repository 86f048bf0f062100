/// Replays acknowledgement records, oldest first, over the pairs of a report, keeping what
/// stands for each account's actions and, per policy, when the count of accounts fully done
/// changed.
struct ComplianceReplay: Sendable {
    /// One account's policy: how many of its actions are not done.
    private struct Pair: Sendable {
        let policy: Int
        var pending: Int
    }

    private let configuration: Configuration
    /// By account number: whether the report includes the account.
    private let included: [Bool]
    /// By account number: the range of its pairs in `pairs`.
    private var pairRanges: [Range<Int>]
    private var pairs: [Pair] = []
    /// By account number: the action ids the configuration marks as done (most have none).
    private let configuredDone: [Set<String>]
    /// By account number: the records that stand, by action id.
    private var standing: [[String: Acknowledgement]]
    /// By policy number: accounts fully done now, and each change of that count as it happened.
    private var doneCounts: [Int]
    private var doneChanges: [[(at: Instant, done: Int)]]
    private var coveredCounts: [Int]
    /// The policies of the report, in catalog order.
    let policyNumbers: [Int]
    let accountCount: Int
    /// Of those, the accounts with rows: some policy of the report asks them to act.
    let accountsToAct: Int

    init(configuration: Configuration, policy: String?, region: CountryCode?) {
        self.configuration = configuration
        let catalog = configuration.catalog
        let accounts = configuration.accounts
        included = accounts.map { region == nil || $0.region == region }
        configuredDone = accounts.map { $0.doneActionIDs(catalog: catalog) }
        standing = Array(repeating: [:], count: accounts.count)
        doneCounts = Array(repeating: 0, count: catalog.policies.count)
        coveredCounts = doneCounts
        doneChanges = Array(repeating: [], count: catalog.policies.count)
        pairRanges = []
        pairRanges.reserveCapacity(accounts.count)
        var platform = (name: "", coverage: CoverageTable.noPolicies)
        for number in accounts.indices {
            let first = pairs.count
            let account = accounts[number]
            if included[number] {
                if account.platform != platform.name {
                    platform = (account.platform, catalog.coverage(platform: account.platform))
                }
                // A policy that asks for nothing (it only informs) has no rows, and nobody has
                // done it or not: counted as done, it would overstate what was done.
                for policyNumber in platform.coverage[account.region]
                where !catalog.policies[policyNumber].actions.isEmpty
                    && (policy == nil || catalog.policies[policyNumber].id == policy)
                {
                    let actions = catalog.policies[policyNumber].actions
                    let done = configuredDone[number]
                    let pending = done.isEmpty ? actions.count : actions.count { !done.contains($0.id) }
                    pairs.append(Pair(policy: policyNumber, pending: pending))
                    coveredCounts[policyNumber] += 1
                    if pending == 0 { doneCounts[policyNumber] += 1 }
                }
            }
            pairRanges.append(first..<pairs.count)
        }
        accountCount = included.count { $0 }
        accountsToAct = pairRanges.count { !$0.isEmpty }
        let covered = coveredCounts
        policyNumbers = covered.indices.filter { covered[$0] > 0 }
        for number in policyNumbers {
            doneChanges[number] = [(Instant(secondsSince1970: Int.min / 2), doneCounts[number])]
        }
    }

    /// Takes in one record; records of accounts or actions outside the report, or made while
    /// the account was on another platform (see `Acknowledgement.standing`), change nothing.
    mutating func apply(_ record: Acknowledgement) {
        guard let number = configuration.accountIndex(of: record.account), included[number] else { return }
        let catalog = configuration.catalog
        let before = standing[number][record.action]
        let after = record.standing(after: before, of: configuration.accounts[number], catalog: catalog)
        standing[number][record.action] = after
        let isDone = after != nil
        guard (before != nil) != isDone, !configuredDone[number].contains(record.action) else { return }
        for index in pairRanges[number]
        where catalog.policies[pairs[index].policy].actions.contains(where: { $0.id == record.action }) {
            let policy = pairs[index].policy
            let pendingBefore = pairs[index].pending
            pairs[index].pending += isDone ? -1 : 1
            if (pendingBefore == 0) != (pairs[index].pending == 0) {
                doneCounts[policy] += isDone ? 1 : -1
                doneChanges[policy].append((record.at, doneCounts[policy]))
            }
        }
    }

    /// Calls `body` with every row as things stand after the records applied, made as it
    /// is asked for: a report of many accounts never holds all its rows at once.
    func forEachRow(at instant: Instant, _ body: (ComplianceReport.Row) -> Void) {
        let catalog = configuration.catalog
        // Accounts share few zones: each zone's date at `instant` is found once.
        var localDates: [Zone: CivilDate] = [:]
        let deadlines = catalog.policies.map(\.deadline.description)
        for number in configuration.accounts.indices where !pairRanges[number].isEmpty {
            let account = configuration.accounts[number]
            let today =
                localDates[account.zone]
                ?? {
                    let date = account.zone.localDate(of: instant)
                    localDates[account.zone] = date
                    return date
                }()
            for pair in pairs[pairRanges[number]] {
                let policy = catalog.policies[pair.policy]
                let overdue = policy.daysOverdue(on: today)
                for action in policy.actions {
                    let record = standing[number][action.id]
                    let done = record != nil || configuredDone[number].contains(action.id)
                    body(
                        ComplianceReport.Row(
                            account: account, policy: policy, action: action, record: record, isDone: done,
                            deadline: deadlines[pair.policy], daysOverdue: done ? 0 : overdue))
                }
            }
        }
    }

    /// Actions of every pair, and those done.
    var actionCounts: (all: Int, done: Int) {
        let policies = configuration.catalog.policies
        var all = 0
        var pending = 0
        for pair in pairs {
            all += policies[pair.policy].actions.count
            pending += pair.pending
        }
        return (all, all - pending)
    }

    func tally(policy: Int) -> ComplianceReport.Tally {
        ComplianceReport.Tally(covered: coveredCounts[policy], done: doneCounts[policy])
    }

    /// By policy number, then by the action's place in the policy: accounts with it pending.
    func pendingByAction() -> [[Int]] {
        let policies = configuration.catalog.policies
        var counts = policies.map { Array(repeating: 0, count: $0.actions.count) }
        for account in configuration.accounts.indices {
            for pair in pairs[pairRanges[account]] where pair.pending > 0 {
                for (position, action) in policies[pair.policy].actions.enumerated()
                where standing[account][action.id] == nil && !configuredDone[account].contains(action.id) {
                    counts[pair.policy][position] += 1
                }
            }
        }
        return counts
    }

    /// Accounts per region: covered when some policy applies, done when every one is done.
    func regionTallies() -> [(region: CountryCode, tally: ComplianceReport.Tally)] {
        var tallies: [CountryCode: ComplianceReport.Tally] = [:]
        for number in configuration.accounts.indices where !pairRanges[number].isEmpty {
            let region = configuration.accounts[number].region
            tallies[region, default: .init()].covered += 1
            if pairs[pairRanges[number]].allSatisfy({ $0.pending == 0 }) { tallies[region, default: .init()].done += 1 }
        }
        return tallies.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// A chart of more weeks than this cannot be read: older ones are left out.
    static let mostWeeks = 520

    /// The accounts done at `start`, at the same local time (in `zone`) every week after it
    /// before `end`, then at `end`.
    func weeks(policy: Int, from start: Instant, until end: Instant, zone: Zone) -> [(
        at: Instant, done: ComplianceReport.Tally
    )] {
        let week = 7 * 86_400
        let localStart = start.secondsSince1970 + zone.offset(at: start)
        let localEnd = end.secondsSince1970 + zone.offset(at: end)
        let count = localEnd > localStart ? (localEnd - localStart + week - 1) / week : 0
        var points = (max(0, count - Self.mostWeeks)..<count).map { zone.instant(localSeconds: localStart + $0 * week) }
            .filter { $0 < end }
        points.append(end)
        let changes = doneChanges[policy]
        var next = 0
        var done = 0
        return points.map { point in
            while next < changes.count, changes[next].at <= point {
                done = changes[next].done
                next += 1
            }
            return (point, ComplianceReport.Tally(covered: coveredCounts[policy], done: done))
        }
    }
}
