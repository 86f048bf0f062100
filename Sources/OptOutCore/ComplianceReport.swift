/// Who has opted out of what, since when, and who has not, at one instant: one row per
/// account, policy and action, with totals per policy and per region and, per policy, the
/// share done week by week.
///
/// Built from the configuration and the acknowledgement records alone, so that `--at`
/// shows a past day by replaying only the records made by then. Actions the configuration
/// marks as done (`done:`) count as done from the start: no record says when they were.
public struct ComplianceReport: Sendable {
    /// One action of one policy for one account.
    public struct Row: Sendable {
        public let account: Account
        public let policy: Policy
        public let action: PolicyAction
        /// The record that stands at the report's instant, if the action was acknowledged.
        public let record: Acknowledgement?
        public let isDone: Bool
        /// The policy's deadline as written (`2025-11-03`), made once per policy.
        public let deadline: String
        /// Days the deadline has passed while the action is pending, counting the day in
        /// progress in the account's zone (the deadline date itself is day 1); 0 when done or
        /// not yet due.
        public let daysOverdue: Int

        /// `cli:USER`, `link`, `config` for the configuration's `done:`, or empty while pending.
        public var source: String { record?.source ?? (isDone ? "config" : "") }
    }

    /// How many of a group are covered and fully done.
    public struct Tally: Sendable, Equatable {
        public var covered = 0
        public var done = 0

        public var pending: Int { covered - done }
        /// Done as a share of covered, 0 to 100; 100 when nothing is covered (nothing to do).
        public var percent: Double { covered == 0 ? 100 : Double(done) * 100 / Double(covered) }

        /// `percent` rounded to one decimal, as the reports print it: 100.0 only when all are
        /// done and 0.0 only when none is, so that one account left among thousands shows.
        public var percentText: String {
            var tenths = covered == 0 ? 1000 : (done * 1000 + covered / 2) / covered
            if done < covered { tenths = min(tenths, 999) }
            if done > 0 { tenths = max(tenths, 1) }
            return "\(tenths / 10).\(tenths % 10)"
        }
    }

    /// The accounts one policy applies to.
    public struct PolicySummary: Sendable {
        public let policy: Policy
        /// Accounts the policy applies to, and those with every action of it done.
        public let accounts: Tally
        /// Accounts with each action pending, in the policy's order.
        public let pendingByAction: [(action: PolicyAction, count: Int)]
        /// The accounts fully done at the start of each week since the policy first applied,
        /// and at the report's instant last.
        public let weeks: [(at: Instant, done: Tally)]
    }

    /// The accounts of one region.
    public struct RegionSummary: Sendable {
        public let region: CountryCode
        /// Accounts with at least one policy, and those with every action of every policy done.
        public let accounts: Tally
    }

    public let at: Instant
    /// Accounts in the report (after the region filter), with a policy or not.
    public let accountCount: Int
    /// Of those, the accounts with rows: some policy of the report asks them to act.
    public let accountsToAct: Int
    /// The policy and the region the report is narrowed to, if it is.
    public let policyFilter: String?
    public let regionFilter: CountryCode?
    /// What the rows are made from, as they are asked for.
    private let replay: ComplianceReplay
    /// In catalog order, the policies that apply to some account of the report.
    public let policies: [PolicySummary]
    /// In code order.
    public let regions: [RegionSummary]

    /// - Parameters:
    ///   - records: every acknowledgement recorded, in the order recorded; those after `at` are left out.
    ///   - firstSeen: by policy id, when the daemon first saw the policy apply to some account;
    ///     the weekly history starts there, or at the policy's effective date.
    ///   - policy, region: keep only this policy, or accounts of this region.
    public init(
        configuration: Configuration, records: [Acknowledgement], firstSeen: [String: Instant] = [:], at: Instant,
        policy: String? = nil, region: CountryCode? = nil
    ) {
        self.at = at
        var replay = ComplianceReplay(configuration: configuration, policy: policy, region: region)
        for record in records.filter({ $0.at <= at }).sorted(by: { ($0.at, $0.id) < ($1.at, $1.id) }) {
            replay.apply(record)
        }
        accountCount = replay.accountCount
        accountsToAct = replay.accountsToAct
        policyFilter = policy
        regionFilter = region
        self.replay = replay
        regions = replay.regionTallies().map { RegionSummary(region: $0.region, accounts: $0.tally) }
        let catalog = configuration.catalog
        let pending = replay.pendingByAction()
        policies = replay.policyNumbers.map { number in
            let policy = catalog.policies[number]
            let start = firstSeen[policy.id] ?? configuration.defaultZone.midnight(of: policy.effective)
            return PolicySummary(
                policy: policy, accounts: replay.tally(policy: number),
                pendingByAction: zip(policy.actions, pending[number]).map { ($0, $1) },
                weeks: replay.weeks(policy: number, from: start, until: at, zone: configuration.defaultZone))
        }
    }

    /// Calls `body` with each row, account by account in configuration order, then policy
    /// and action in catalog order.
    public func forEachRow(_ body: (Row) -> Void) {
        replay.forEachRow(at: at, body)
    }

    /// Every row at once (see `forEachRow` for a report of many accounts).
    public var rows: [Row] {
        var rows: [Row] = []
        forEachRow { rows.append($0) }
        return rows
    }

    /// Rows in all, and rows done.
    public var rowCounts: (all: Int, done: Int) { replay.actionCounts }
}
