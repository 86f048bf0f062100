/// The kinds of notification, as written in `OPTOUT_EVENT` and in `events:` lists.
public enum EventKind: String, CaseIterable, Hashable, Sendable, Comparable {
    case policyApplies = "policy-applies"
    case deadlineReminder = "deadline-reminder"
    case policyEffective = "policy-effective"
    case overdue = "overdue"
    /// An overdue notice told to the account's manager as well, after `escalate_after` of them.
    case escalation = "escalation"
    case optedOut = "opted-out"

    /// The syslog priority of the journal entry.
    public var priority: Int {
        switch self {
        case .policyApplies: 5
        case .deadlineReminder, .escalation: 4
        case .policyEffective, .overdue: 3
        case .optedOut: 6
        }
    }

    public static func < (lhs: EventKind, rhs: EventKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
