import Foundation

/// The scheduling engine: given the configuration, what is done and what was already
/// handled, it says which notices are due at an instant and when the next one is.
///
/// It keeps a priority queue of each pair's next due time, so a wake-up costs
/// O(log n) per due pair rather than a scan of every pair. It never reads a clock:
/// callers pass `now`.
public struct Scheduler: Sendable {
    /// What changed at one step: the notices to deliver, the ones passed over, and the
    /// pair histories to remember.
    public struct Step: Sendable {
        public var notices: [Notice]
        /// Notices missed while the daemon was down that are recorded but not sent.
        public var skipped: [NoticeKey]
        /// Pair histories that changed, in the order they changed.
        public var histories: [(pair: PairKey, history: PairHistory)]

        public init(
            notices: [Notice] = [], skipped: [NoticeKey] = [], histories: [(pair: PairKey, history: PairHistory)] = []
        ) {
            self.notices = notices
            self.skipped = skipped
            self.histories = histories
        }

        public var isEmpty: Bool { notices.isEmpty && skipped.isEmpty && histories.isEmpty }
    }

    /// One account's policy, in plain values: copying one counts no references.
    ///
    /// Stored in 48 bytes: numbers as `Int32`, and no optional's extra byte for the
    /// timetable and due time (250,000 pairs take 12 MB rather than 16).
    private struct Pair: Sendable {
        private let accountNumber: Int32
        private let policyNumber: Int32
        /// The policy's actions not done for the account, as a number in `pendingLists` (kept
        /// up to date by `acknowledge`).
        var pending: Int32
        /// -1 until known.
        private var timetableNumber: Int32 = -1
        var history: PairHistory?
        /// `Int.max` for never.
        private var dueSeconds = Int.max

        init(account: Int, policy: Int, history: PairHistory?, pending: Int32) {
            accountNumber = Int32(account)
            policyNumber = Int32(policy)
            self.history = history
            self.pending = pending
        }

        var account: Int { Int(accountNumber) }
        var policy: Int { Int(policyNumber) }

        /// The pair's timetable as a number in `timetables`, known once the pair has been seen
        /// (it depends on the first sighting).
        var timetable: Int32? {
            get { timetableNumber < 0 ? nil : timetableNumber }
            set { timetableNumber = newValue ?? -1 }
        }

        /// When the pair next needs attention; matches its queue entry, so stale entries are skipped.
        var due: Instant? {
            get { dueSeconds == .max ? nil : Instant(secondsSince1970: dueSeconds) }
            set { dueSeconds = newValue?.secondsSince1970 ?? .max }
        }
    }

    /// Lists of pending actions, each made once and shared by the pairs that have it. The
    /// first ones are the policies' own lists, for pairs with nothing done.
    private struct PendingLists: Sendable {
        private var lists: [[PolicyAction]]
        /// How many lists are the policies' own.
        private let policyCount: Int
        private var numbers: [Key: Int32] = [:]
        /// The keys of the lists after the policies' own, in order.
        private var keys: [Key] = []

        private struct Key: Hashable {
            var policy: Int
            /// The actions not done: those of the first 64 as bits by position, the others listed.
            var kept: UInt64
            var keptBeyond64: [Int]
        }

        init(_ catalog: Catalog) {
            lists = catalog.policies.map(\.actions)
            policyCount = lists.count
        }

        subscript(number: Int32) -> [PolicyAction] { lists[Int(number)] }

        func isEmpty(_ number: Int32) -> Bool { lists[Int(number)].isEmpty }

        /// Every list, by number.
        var all: [[PolicyAction]] { lists }

        /// The number of the list of the actions of policy number `policy` not in `done`.
        mutating func number(policy: Int, _ actions: [PolicyAction], done: Set<String>) -> Int32 {
            guard !done.isEmpty else { return Int32(policy) }
            var key = Key(policy: policy, kept: 0, keptBeyond64: [])
            var keptCount = 0
            for (position, action) in actions.enumerated() where !done.contains(action.id) {
                if position < 64 { key.kept |= 1 << UInt64(position) } else { key.keptBeyond64.append(position) }
                keptCount += 1
            }
            guard keptCount < actions.count else { return Int32(policy) }
            return number(key) {
                actions.indices.filter { $0 < 64 ? key.kept & (1 << UInt64($0)) != 0 : key.keptBeyond64.contains($0) }
                    .map { actions[$0] }
            }
        }

        /// Takes on the lists of `other`, made for other pairs of the same catalog; returns
        /// the number each of them has here, by its number there.
        mutating func takeOn(_ other: PendingLists) -> [Int32] {
            var renumbered = (0..<policyCount).map(Int32.init)
            for (offset, key) in other.keys.enumerated() {
                renumbered.append(number(key) { other.lists[other.policyCount + offset] })
            }
            return renumbered
        }

        private mutating func number(_ key: Key, list: () -> [PolicyAction]) -> Int32 {
            if let known = numbers[key] { return known }
            lists.append(list())
            keys.append(key)
            numbers[key] = Int32(lists.count - 1)
            return Int32(lists.count - 1)
        }
    }

    /// The pairs of a range of accounts, made apart from the others.
    private struct Part: Sendable {
        var pairs: [Pair] = []
        var pendingLists: PendingLists
        /// Each account's pairs, counted from the part's first pair.
        var pairRanges: [Range<Int>] = []
    }

    public let configuration: Configuration
    /// A notice sent more than this many seconds after its time is marked late.
    public let lateAfterSeconds: Int

    private var pairs: [Pair] = []
    private var pendingLists: PendingLists
    /// Action ids recorded as done by `ack`, by account id (besides the accounts' `done` entries).
    private var acknowledged: [String: Set<String>]
    /// The pairs of each account (pairs are stored account by account).
    private var pairRanges: [Range<Int>] = []
    private var queue = DueQueue()
    /// Timetables made so far, each shared by the pairs of one policy, zone and overdue base.
    private var timetables: [[ScheduledNotice]] = []
    private var timetableNumbers: [Timetable.Key: Int32] = [:]
    /// Whether steps list changed histories and skipped notices; a plan has no use for them.
    private var recordsChanges = true
    /// What pairs in one zone share at the latest `now`, by zone number.
    private var localNow: (instant: Instant, byZone: [LocalNow?]) = (.distantPast, [])

    /// A zone's local date and UTC offset at an instant, and the timetables of its pairs
    /// first seen then, by policy number: on a first start that is every pair.
    private struct LocalNow {
        var date: CivilDate
        var offset: Int
        var timetables: [Int32?]
    }

    /// - Parameters:
    ///   - histories: what the state store remembers of each pair.
    ///   - acknowledged: action ids recorded as done by `ack`, per account id.
    public init(
        configuration: Configuration, histories: [PairKey: PairHistory] = [:],
        acknowledged: [String: Set<String>] = [:], lateAfterSeconds: Int = 60
    ) {
        self.init(
            configuration: configuration, histories: histories, acknowledged: acknowledged,
            lateAfterSeconds: lateAfterSeconds, processors: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The accounts a part made on a thread of its own holds at least: fewer cost more to
    /// hand over than they save.
    static let smallestPart = 16_384

    /// With large inventories, the pairs of each range of at least `smallestPart` accounts
    /// are made on a processor of their own (at most `processors`), then put together in
    /// account order.
    init(
        configuration: Configuration, histories: [PairKey: PairHistory], acknowledged: [String: Set<String>],
        lateAfterSeconds: Int, processors: Int, smallestPart: Int = smallestPart
    ) {
        self.configuration = configuration
        self.lateAfterSeconds = lateAfterSeconds
        self.acknowledged = acknowledged
        let accountCount = configuration.accounts.count
        let partCount = max(1, min(processors, accountCount / smallestPart))
        let ranges = (0..<partCount).map { part in
            (accountCount * part / partCount)..<(accountCount * (part + 1) / partCount)
        }
        let parts = concurrentMap(ranges) { accounts in
            Self.part(of: accounts, configuration: configuration, histories: histories, acknowledged: acknowledged)
        }
        pendingLists = PendingLists(configuration.catalog)
        pairRanges.reserveCapacity(accountCount)
        pairs.reserveCapacity(parts.reduce(0) { $0 + $1.pairs.count })
        for part in parts {
            let renumbered = pendingLists.takeOn(part.pendingLists)
            pairRanges += part.pairRanges.map { ($0.lowerBound + pairs.count)..<($0.upperBound + pairs.count) }
            for var pair in part.pairs {
                pair.pending = renumbered[Int(pair.pending)]
                pairs.append(pair)
            }
        }
        var entries: [DueQueue.Entry] = []
        entries.reserveCapacity(pairs.count)
        for index in pairs.indices {
            pairs[index].due = dueTime(of: index)
            if let due = pairs[index].due { entries.append(DueQueue.Entry(due: due, pair: index)) }
        }
        queue = DueQueue(entries)
    }

    private static func part(
        of accounts: Range<Int>, configuration: Configuration, histories: [PairKey: PairHistory],
        acknowledged: [String: Set<String>]
    ) -> Part {
        let catalog = configuration.catalog
        var part = Part(pendingLists: PendingLists(catalog))
        part.pairRanges.reserveCapacity(accounts.count)
        // At most every policy of a platform per account: memory reserved and not touched
        // costs nothing, while growing the array step by step copies it again and again.
        let mostPoliciesPerPlatform = catalog.platforms.map { catalog.policyIndices(platform: $0).count }.max() ?? 0
        part.pairs.reserveCapacity(accounts.count * mostPoliciesPerPlatform)
        // Accounts of one platform tend to come together: its policies are looked up once per run.
        var platformPolicies = (platform: "", byCountry: CoverageTable.noPolicies)
        // Accounts with the same `done` entries and nothing acknowledged have the same pending
        // lists: by policy number, found once.
        var pendingByDoneEntries: [[DoneMark]: [Int32]] = [:]
        for accountNumber in accounts {
            let account = configuration.accounts[accountNumber]
            // Lookups in empty dictionaries still hash their keys: a first start has no state.
            let acked = acknowledged.isEmpty ? nil : acknowledged[account.id]
            // `nil` while nothing is done: each policy's own list.
            var pendingByPolicy: [Int32]?
            if acked == nil, !account.done.isEmpty, let known = pendingByDoneEntries[account.done] {
                pendingByPolicy = known
            } else if acked != nil || !account.done.isEmpty {
                let done = Self.doneActionIDs(account, acknowledged: acked, catalog: catalog)
                let numbers = catalog.policies.indices.map {
                    part.pendingLists.number(policy: $0, catalog.policies[$0].actions, done: done)
                }
                if acked == nil { pendingByDoneEntries[account.done] = numbers }
                pendingByPolicy = numbers
            }
            let firstPair = part.pairs.count
            if account.platform != platformPolicies.platform {
                platformPolicies = (account.platform, catalog.coverage(platform: account.platform))
            }
            for policyNumber in platformPolicies.byCountry[account.region] {
                let history =
                    histories.isEmpty
                    ? nil : histories[PairKey(account: account.id, policy: catalog.policies[policyNumber].id)]
                let pending = pendingByPolicy?[policyNumber] ?? Int32(policyNumber)
                part.pairs.append(
                    Pair(account: accountNumber, policy: policyNumber, history: history, pending: pending))
            }
            part.pairRanges.append(firstPair..<part.pairs.count)
        }
        return part
    }

    /// The ids of the actions an account's `done` entries and `acknowledged` mark as done.
    private static func doneActionIDs(_ account: Account, acknowledged: Set<String>?, catalog: Catalog) -> Set<String> {
        var done = acknowledged ?? []
        for mark in account.done { done.formUnion(mark.actionIDs(in: catalog)) }
        return done
    }

    /// When the next notice is due; `nil` when nothing ever will be.
    public var nextDue: Instant? {
        queue.min?.due
    }

    /// The pair that needs attention next, what it will get, and when (`nil` when nothing ever will).
    /// A time of `Instant.distantPast` means "at once".
    public var upcoming: (pair: PairKey, event: EventKind, at: Instant)? {
        guard let entry = queue.min else { return nil }
        let pair = pairs[entry.pair]
        let event: EventKind
        if pair.history == nil {
            event = .policyApplies
        } else if pendingLists.isEmpty(pair.pending) {
            event = .optedOut
        } else {
            event =
                pair.timetable.flatMap { timetables[Int($0)].first { $0.at == entry.due } }?.event ?? .deadlineReminder
        }
        return (key(of: entry.pair), event, entry.due)
    }

    /// The histories of every pair seen so far.
    public var histories: [PairKey: PairHistory] {
        var result: [PairKey: PairHistory] = [:]
        for index in pairs.indices {
            if let history = pairs[index].history { result[key(of: index)] = history }
        }
        return result
    }

    /// Pairs whose policy applies to the account with some action not done.
    public var pendingPairCount: Int {
        pairs.indices.count { !pendingLists.isEmpty(pairs[$0].pending) }
    }

    /// The account with this id, if the configuration has one.
    public func account(_ id: String) -> Account? {
        configuration.account(id: id)
    }

    /// The keys of every pair, in configuration order.
    public var pairKeys: [PairKey] { pairs.indices.map(key(of:)) }

    /// The actions still to do for a pair; `nil` when the policy does not apply to the account.
    public func pendingActions(_ key: PairKey) -> [PolicyAction]? {
        pairIndex(key).map { pendingLists[pairs[$0].pending] }
    }

    /// The actions done for a pair; `nil` when the policy does not apply to the account.
    public func doneActions(_ key: PairKey) -> [PolicyAction]? {
        pairIndex(key).map { index in
            let account = configuration.accounts[pairs[index].account]
            let done = Self.doneActionIDs(
                account, acknowledged: acknowledged[account.id], catalog: configuration.catalog)
            return configuration.catalog.policies[pairs[index].policy].actions.filter { done.contains($0.id) }
        }
    }

    /// The next scheduled notice of a pair after what was handled, if any.
    public mutating func nextNotice(_ key: PairKey) -> ScheduledNotice? {
        guard let index = pairIndex(key), let history = pairs[index].history,
            !pendingLists.isEmpty(pairs[index].pending)
        else { return nil }
        return timetable(of: index).first { $0.at > history.handledThrough }
    }

    /// Everything due at `now`: each due pair is brought up to date, and the queue moves on.
    /// With `limit`, it stops once that many notices are in the step; what else is due stays
    /// due (`nextDue` <= `now`), for the next call.
    public mutating func advance(to now: Instant, limit: Int = .max) -> Step {
        var step = Step()
        let found = findDue(at: now, limit: limit, into: &step)
        step.notices = found.map(notice(for:))
        return step
    }

    /// The notice a record stands for.
    public func notice(for record: NoticeRecord) -> Notice {
        Notice(
            account: configuration.accounts[record.account], policy: configuration.catalog.policies[record.policy],
            event: record.event, date: record.date, at: record.at, utcOffset: record.utcOffset,
            pending: pendingLists[Int32(record.pending)], late: record.late)
    }

    /// The lists of pending actions that records name by number.
    public var pendingActionLists: [[PolicyAction]] { pendingLists.all }

    /// Brings the pairs due at `now` up to date, until `limit` notices are found; returns
    /// them, and records skipped notices and changed histories in `step`.
    private mutating func findDue(at now: Instant, limit: Int, into step: inout Step) -> [NoticeRecord] {
        var found: [NoticeRecord] = []
        while let entry = queue.min, entry.due <= now, found.count < limit {
            guard pairs[entry.pair].due == entry.due else {  // superseded
                queue.removeMin()
                continue
            }
            if let due = evaluate(entry.pair, at: now, into: &step, found: &found) {
                queue.replaceMin(with: DueQueue.Entry(due: due, pair: entry.pair))
            } else {
                queue.removeMin()
            }
        }
        dropSupersededEntries()
        return found
    }

    /// Takes on pair histories recorded elsewhere since this scheduler's histories were read
    /// (such as by the scheduler it replaces on reload), and requeues those pairs.
    public mutating func remember(_ histories: [(pair: PairKey, history: PairHistory)]) {
        for (key, history) in histories {
            guard let index = pairIndex(key) else { continue }
            pairs[index].history = history
            pairs[index].timetable = nil
            let due = dueTime(of: index)
            pairs[index].due = due
            if let due { queue.insert(DueQueue.Entry(due: due, pair: index)) }
        }
        dropSupersededEntries()
    }

    /// Records actions as done for an account (from `ack`) and brings its pairs up to date at `now`.
    /// Returns `nil` when the account is unknown.
    public mutating func acknowledge(account id: String, actions: some Sequence<String>, at now: Instant) -> Step? {
        guard let accountNumber = configuration.accountIndex(of: id) else { return nil }
        acknowledged[id, default: []].formUnion(actions)
        let done = Self.doneActionIDs(
            configuration.accounts[accountNumber], acknowledged: acknowledged[id], catalog: configuration.catalog)
        var step = Step()
        var found: [NoticeRecord] = []
        for index in pairRanges[accountNumber] {
            let policy = pairs[index].policy
            pairs[index].pending = pendingLists.number(
                policy: policy, configuration.catalog.policies[policy].actions, done: done)
            if let due = evaluate(index, at: now, into: &step, found: &found) {
                queue.insert(DueQueue.Entry(due: due, pair: index))
            }
        }
        dropSupersededEntries()
        step.notices = found.map(notice(for:))
        return step
    }

    /// Brings one pair up to date at `now`: adds what it is due to `found` and what changed
    /// to `step`, and returns its next due time, which the caller queues.
    private mutating func evaluate(
        _ index: Int, at now: Instant, into step: inout Step, found: inout [NoticeRecord]
    ) -> Instant? {
        let pair = pairs[index]
        func notice(_ event: EventKind, _ date: CivilDate, _ at: Instant, offset: Int, late: Bool = false) {
            found.append(
                NoticeRecord(
                    account: pair.account, policy: pair.policy, pending: Int(pair.pending), event: event, date: date,
                    at: at, utcOffset: offset, late: late))
        }
        let previous = pair.history
        var history = previous
        if pendingLists.isEmpty(pair.pending) {
            if var seen = history, !seen.optedOut {
                seen.optedOut = true
                history = seen
                let local = localTime(of: now, zoneOf: pair.account)
                notice(.optedOut, local.date, now, offset: local.offset)
            }
        } else if var seen = history {
            seen.optedOut = false
            let timetable = timetable(of: index)
            var first = 0
            while first < timetable.count, timetable[first].at <= seen.handledThrough { first += 1 }
            var end = first
            while end < timetable.count, timetable[end].at <= now { end += 1 }
            if end > first {
                let latest = timetable[end - 1]
                for missed in timetable[first..<(end - 1)] where recordsChanges {
                    step.skipped.append(NoticeKey(pair: key(of: index), event: missed.event, date: missed.date))
                }
                notice(
                    latest.event, latest.date, latest.at, offset: latest.utcOffset,
                    late: now.secondsSince1970 - latest.at.secondsSince1970 > lateAfterSeconds)
                seen.handledThrough = latest.at
            }
            history = seen
        } else {
            history = PairHistory(firstSeen: now, handledThrough: now)
            let local = localTime(of: now, zoneOf: pair.account)
            notice(.policyApplies, local.date, now, offset: local.offset)
        }
        if history != previous, let history {
            pairs[index].history = history
            if recordsChanges { step.histories.append((key(of: index), history)) }
        }
        let due = dueTime(of: index)
        pairs[index].due = due
        return due
    }

    /// Pops queue entries left behind by re-evaluated pairs, so that `nextDue` is exact.
    private mutating func dropSupersededEntries() {
        while let entry = queue.min, pairs[entry.pair].due != entry.due { queue.removeMin() }
    }

    /// When a pair next needs attention: at once when it is new or newly opted out, else its next notice.
    private mutating func dueTime(of index: Int) -> Instant? {
        let isPending = !pendingLists.isEmpty(pairs[index].pending)
        guard let history = pairs[index].history else { return isPending ? Instant.distantPast : nil }
        if !isPending { return history.optedOut ? nil : Instant.distantPast }
        return timetable(of: index).first { $0.at > history.handledThrough }?.at
    }

    /// The local date and UTC offset at `now` in the zone of account number `account`,
    /// remembered for the latest `now`.
    private mutating func localTime(of now: Instant, zoneOf account: Int) -> (date: CivilDate, offset: Int) {
        if localNow.instant != now { localNow = (now, []) }
        // The zone's number alone, until it is needed: copying a zone counts references.
        let zoneNumber = configuration.accounts[account].zone.number
        if zoneNumber < localNow.byZone.count, let known = localNow.byZone[zoneNumber] {
            return (known.date, known.offset)
        }
        let zone = configuration.accounts[account].zone
        let offset = zone.offset(at: now)
        let date = CivilDate(dayNumber: (now.secondsSince1970 + offset).floorDivided(by: 86_400))
        if zone.number >= localNow.byZone.count {
            localNow.byZone += repeatElement(nil, count: zone.number + 1 - localNow.byZone.count)
        }
        localNow.byZone[zone.number] = LocalNow(
            date: date, offset: offset,
            timetables: Array(repeating: nil, count: configuration.catalog.policies.count))
        return (date, offset)
    }

    /// The pair with this key: among the account's few pairs, the one of the policy.
    private func pairIndex(_ key: PairKey) -> Int? {
        guard let accountNumber = configuration.accountIndex(of: key.account) else { return nil }
        let policies = configuration.catalog.policies
        return pairRanges[accountNumber].first { policies[pairs[$0].policy].id == key.policy }
    }

    private func key(of index: Int) -> PairKey {
        PairKey(
            account: configuration.accounts[pairs[index].account].id,
            policy: configuration.catalog.policies[pairs[index].policy].id)
    }

    /// The pair's timetable; the pair must have been seen. Pairs of one policy, zone and
    /// overdue base share one array.
    private mutating func timetable(of index: Int) -> [ScheduledNotice] {
        if let known = pairs[index].timetable { return timetables[Int(known)] }
        let (account, policyNumber) = (pairs[index].account, pairs[index].policy)
        let firstSeen = pairs[index].history?.firstSeen ?? .distantPast
        let number: Int32
        if firstSeen == localNow.instant {
            // Seen just now, like the other pairs of the zone and policy found in this step.
            let date = localTime(of: firstSeen, zoneOf: account).date
            let zoneNumber = configuration.accounts[account].zone.number
            if let known = localNow.byZone[zoneNumber]!.timetables[policyNumber] {
                number = known
            } else {
                number = sharedTimetable(
                    policy: policyNumber, zone: configuration.accounts[account].zone, firstSeen: firstSeen,
                    firstSeenDate: date)
                localNow.byZone[zoneNumber]!.timetables[policyNumber] = number
            }
        } else {
            let zone = configuration.accounts[account].zone
            number = sharedTimetable(
                policy: policyNumber, zone: zone, firstSeen: firstSeen, firstSeenDate: zone.localDate(of: firstSeen))
        }
        pairs[index].timetable = number
        return timetables[Int(number)]
    }

    /// The number of the timetable for pairs of a policy in a zone first seen at `firstSeen`,
    /// made when first asked for.
    private mutating func sharedTimetable(policy index: Int, zone: Zone, firstSeen: Instant, firstSeenDate: CivilDate)
        -> Int32
    {
        let policy = configuration.catalog.policies[index]
        let key = Timetable.key(
            policy: index, policy, zone: zone, firstSeen: firstSeen, firstSeenDate: firstSeenDate,
            reminders: configuration.reminders)
        if let known = timetableNumbers[key] { return known }
        timetables.append(Timetable.notices(for: key, policy: policy, reminders: configuration.reminders))
        timetableNumbers[key] = Int32(timetables.count - 1)
        return Int32(timetables.count - 1)
    }
}

extension Instant {
    /// Earlier than any real instant: "due at once".
    public static let distantPast = Instant(secondsSince1970: Int.min / 2)
}

extension Scheduler {
    /// Every notice from `now` until `horizon`, as the daemon would deliver them if it ran
    /// throughout: what is due at once (new pairs, the latest missed notice), then each
    /// scheduled one. The scheduler itself is not changed.
    public func plan(from now: Instant, until horizon: Instant) -> [Notice] {
        var records: [NoticeRecord] = []
        var scheduler = self
        scheduler.simulate(from: now, until: horizon) { records += $0 }
        return records.map(scheduler.notice(for:))
    }

    /// Like `plan(from:until:)`, handing the notices to `body` in order as records, a few
    /// thousand at a time, so that a long plan needs little memory even when every pair is
    /// due at once. Records may go to another thread, resolved there against the
    /// configuration and `pendingActionLists`.
    ///
    /// The scheduler moves on to `horizon`, as if it had delivered them; working on this one
    /// rather than a copy spares the copy of every pair.
    public mutating func simulate(from now: Instant, until horizon: Instant, _ body: ([NoticeRecord]) -> Void) {
        // A plan has no use for the changed histories and skipped notices of each step.
        recordsChanges = false
        defer { recordsChanges = true }
        var wakeUp = now
        var unrecorded = Step()
        while true {
            let found = findDue(at: wakeUp, limit: Self.simulationSlice, into: &unrecorded)
            if !found.isEmpty { body(found) }
            guard let next = nextDue, next <= horizon else { break }
            wakeUp = max(next, now)
        }
    }

    /// Notices handed to `simulate`'s body at once.
    static let simulationSlice = 4096
}
