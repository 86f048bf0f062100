/// One account's policy as the scheduler keeps it, in plain values: copying one counts no
/// references.
///
/// Indices are `Int32`, and neither the timetable nor the next event takes an optional's
/// extra byte, so that a pair fits in 48 bytes (checked by a test): inventories have
/// hundreds of thousands of them.
struct SchedulerPair: Sendable {
    private let accountIndex: Int32
    private let policyIndex: Int32
    /// The policy's actions not done for the account, as an index in the scheduler's
    /// `PendingLists` (kept up to date by `acknowledge`).
    var pending: Int32
    /// -1 until known.
    private var timetableIndex: Int32 = -1
    var history: PairHistory?
    /// What `dueSeconds` is for; meaningless when it is `Int.max`.
    private var dueEvent = EventKind.policyApplies
    private let zoneNumber: Int32
    /// `Int.max` for never.
    private var dueSeconds = Int.max

    init(account: Int, zone: Zone, policy: Int, history: PairHistory?, pending: Int32) {
        accountIndex = Int32(account)
        zoneNumber = Int32(zone.number)
        policyIndex = Int32(policy)
        self.history = history
        self.pending = pending
    }

    /// The account's index in the configuration.
    var account: Int { Int(accountIndex) }
    /// The policy's index in the catalog.
    var policy: Int { Int(policyIndex) }
    /// The `Zone.number` of the account's zone: kept with the pair, so that scheduling it
    /// does not look up the account, far off in memory, for local times it has at hand.
    var zone: Int { Int(zoneNumber) }

    /// The pair's timetable as an index in the scheduler's `TimetableStore`, known once the
    /// pair has been seen (it depends on the first sighting).
    var timetable: Int32? {
        get { timetableIndex < 0 ? nil : timetableIndex }
        set { timetableIndex = newValue ?? -1 }
    }

    /// When the pair next needs attention and what for; its time matches the pair's queue
    /// entry, so that stale entries can be told apart.
    var next: NextEvent? {
        get { dueSeconds == .max ? nil : NextEvent(at: Instant(secondsSince1970: dueSeconds), event: dueEvent) }
        set {
            dueSeconds = newValue?.at.secondsSince1970 ?? .max
            dueEvent = newValue?.event ?? .policyApplies
        }
    }
}
