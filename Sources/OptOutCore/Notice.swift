/// Identifies an account's policy: the unit that reminders are about.
public struct PairKey: Hashable, Sendable, Comparable {
    public var account: String
    public var policy: String

    public init(account: String, policy: String) {
        self.account = account
        self.policy = policy
    }

    public static func < (lhs: PairKey, rhs: PairKey) -> Bool {
        (lhs.account, lhs.policy) < (rhs.account, rhs.policy)
    }
}

/// Identifies a notification: each is delivered at most once per channel.
public struct NoticeKey: Hashable, Sendable {
    public var pair: PairKey
    public var event: EventKind
    public var date: CivilDate

    public init(pair: PairKey, event: EventKind, date: CivilDate) {
        self.pair = pair
        self.event = event
        self.date = date
    }
}

/// What is remembered of a pair between runs.
public struct PairHistory: Hashable, Sendable {
    /// When the pair was first seen (its `policy-applies`).
    public var firstSeen: Instant
    /// The scheduled time of the latest notice handled (sent or skipped); later ones are still to come.
    public var handledThrough: Instant
    /// Whether `opted-out` was sent (bit 15) and how many overdue notices were handled (the
    /// rest): the pair table holds a history for each of its many pairs, and one field keeps
    /// a pair within its size.
    private var flags: UInt16

    private static let optedOutBit: UInt16 = 1 << 15

    public init(firstSeen: Instant, handledThrough: Instant, optedOut: Bool = false, overdueRepeats: Int = 0) {
        self.firstSeen = firstSeen
        self.handledThrough = handledThrough
        flags = 0
        self.optedOut = optedOut
        self.overdueRepeats = overdueRepeats
    }

    /// Whether nothing but the first sighting was handled: no scheduled notice yet.
    var handledOnlyTheSighting: Bool { handledThrough == firstSeen }

    /// Set once `opted-out` was sent while nothing is pending.
    public var optedOut: Bool {
        get { flags & Self.optedOutBit != 0 }
        set { flags = newValue ? flags | Self.optedOutBit : flags & ~Self.optedOutBit }
    }

    /// The overdue notices handled (sent or skipped), which `overdue_max` and `escalate_after`
    /// count; at most `ReminderSettings.repeatLimit`, far below what the field holds.
    public var overdueRepeats: Int {
        get { Int(flags & ~Self.optedOutBit) }
        set { flags = flags & Self.optedOutBit | UInt16(clamping: min(max(newValue, 0), Int(~Self.optedOutBit))) }
    }
}

/// A notice in plain values, as the scheduler finds it: its account and policy by index
/// in the configuration, its pending actions by index in the scheduler's
/// `pendingActionLists`. Unlike a `Notice`, handing one to another thread counts no
/// references to the objects that every notice of a policy shares.
public struct NoticeRecord: Sendable {
    public var account: Int
    /// The account's region, which a plan shows (the account itself is far off in memory).
    public var region: CountryCode
    public var policy: Int
    public var pending: Int
    public var event: EventKind
    public var date: CivilDate
    public var at: Instant
    public var utcOffset: Int
    public var late: Bool
}

/// A notification that is due: who, which policy, what happened and what is left to do.
public struct Notice: Sendable {
    public var account: Account
    public var policy: Policy
    public var event: EventKind
    /// The local date the notice belongs to.
    public var date: CivilDate
    /// When it was scheduled (for `policy-applies` and `opted-out`: when it was found).
    public var at: Instant
    /// Seconds east of UTC at `at` in the account's zone.
    public var utcOffset: Int
    /// The actions still to do, in catalog order.
    public var pending: [PolicyAction]
    /// Sent after its time because the daemon was not running then.
    public var late: Bool

    public init(
        account: Account, policy: Policy, event: EventKind, date: CivilDate, at: Instant, utcOffset: Int,
        pending: [PolicyAction], late: Bool
    ) {
        self.account = account
        self.policy = policy
        self.event = event
        self.date = date
        self.at = at
        self.utcOffset = utcOffset
        self.pending = pending
        self.late = late
    }

    public var key: NoticeKey {
        NoticeKey(pair: PairKey(account: account.id, policy: policy.id), event: event, date: date)
    }

    /// Days from the notice's date to the deadline; zero on the deadline date, negative after.
    public var daysLeft: Int { date.days(until: policy.deadline) }
    public var daysOverdue: Int { policy.daysOverdue(on: date) }

    /// `at` in RFC 3339 with the account's local offset.
    public var localTime: String { Zone.rfc3339(at, utcOffset: utcOffset) }

    /// One readable sentence: who, which policy, what to do, by when. A late notice (one
    /// missed while optoutd was not running, sent when it came back) says when it was due
    /// instead of counting days from then, which would be wrong by the time it is read.
    public var message: String {
        late ? lateMessage : onTimeMessage
    }

    private var who: String { account.name.map { "\($0) (\(account.id))" } ?? account.id }
    private var policyName: String { "\(policy.id) (\(policy.title))" }
    private var steps: String { pending.map(\.title).joined(separator: "; ") }
    /// "1 day", "2 days": a count of days as the messages write it.
    public static func days(_ count: Int) -> String { count == 1 ? "1 day" : "\(count) days" }

    private var lateMessage: String {
        let due = "(sent late: it was due on \(date))"
        switch event {
        case .policyEffective where policy.isInformational:
            return "\(who): \(policyName) took effect on \(date); it offers no way to opt out \(due)."
        case .policyEffective:
            return
                "\(who): \(policyName) took effect on \(date) and opt-out actions are still pending — \(steps) \(due)."
        case .deadlineReminder:
            return "\(who): opt out of \(policyName) before \(policy.deadline) — \(steps) \(due)."
        case .overdue:
            return "\(who): opting out of \(policyName) is overdue since \(policy.deadline) — \(steps) \(due)."
        case .escalation:
            return
                "\(who) has not opted out of \(policyName), overdue since \(policy.deadline) — still to do: \(steps) \(due)."
        case .policyApplies, .optedOut:
            return onTimeMessage
        }
    }

    private var onTimeMessage: String {
        switch event {
        case .policyApplies where policy.isInformational:
            let when = date < policy.effective ? "from" : "since"
            return
                "\(who) in \(account.region) is covered by \(policyName) \(when) \(policy.effective); it offers no way to opt out."
        case .policyEffective where policy.isInformational:
            return "\(who): \(policyName) takes effect today; it offers no way to opt out."
        case .policyApplies where daysLeft > 0:
            return
                "\(who) in \(account.region) is covered by \(policyName): opt out before \(policy.deadline) (\(Self.days(daysLeft)) left) — \(steps)."
        case .policyApplies:
            return
                "\(who) in \(account.region) is covered by \(policyName) since \(policy.effective), and the opt-out deadline \(policy.deadline) has passed — \(steps)."
        case .deadlineReminder:
            return
                "\(who): \(Self.days(daysLeft)) left to opt out of \(policyName), before \(policy.deadline) — \(steps)."
        case .policyEffective:
            return "\(who): \(policyName) takes effect today and opt-out actions are still pending — \(steps)."
        case .overdue:
            return
                "\(who): opting out of \(policyName) is overdue since \(policy.deadline) (\(Self.days(daysOverdue))) — \(steps)."
        case .escalation:
            return
                "\(who) has not opted out of \(policyName), overdue since \(policy.deadline) (\(Self.days(daysOverdue))) — still to do: \(steps)."
        case .optedOut:
            return "\(who): every opt-out action of \(policyName) is done."
        }
    }
}

extension Zone {
    /// RFC 3339 for an instant whose offset is already known.
    public static func rfc3339(_ instant: Instant, utcOffset offset: Int) -> String {
        let local = instant.secondsSince1970 + offset
        let date = CivilDate(dayNumber: local.floorDivided(by: 86_400))
        let second = local - date.dayNumber * 86_400
        let clock = "\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2))"
        let sign = offset < 0 ? "-" : "+"
        let zone = offset == 0 ? "Z" : "\(sign)\(pad(abs(offset) / 3600, 2)):\(pad(abs(offset) / 60 % 60, 2))"
        return "\(date)T\(clock)\(zone)"
    }
}
