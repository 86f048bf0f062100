/// A notification as channels deliver it: the JSON document that webhooks POST and hooks
/// read on standard input, the source of journal fields, hook environment and mail text.
///
/// It is made when the notice is issued and stored with it, so a delivery retried days
/// later says what was true then. `version` lets the format grow: new keys may be added
/// within a version; a change in meaning gets a new version.
public struct NoticeDocument: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public struct AccountInfo: Codable, Sendable, Equatable {
        public var id: String
        public var platform: String
        public var region: String
        public var name: String?
        public var email: String?
        public var timezone: String
        /// The language of messages to the owner, when the account names one.
        public var language: String?
        /// Who escalations go to, when the account names someone.
        public var manager: String?
    }

    public struct PolicyInfo: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var summary: String
        public var effective: String
        public var deadline: String
        public var dataUsed: [String]
        public var dataNotUsed: [String]
        public var sharedWith: [String]
        /// The sources' links (or, for a publication without one, its title).
        public var sources: [String]
        /// `true` for a change that offers no way to opt out (its notices inform); absent
        /// otherwise, so that documents of other changes keep their keys.
        public var informational: Bool?

        enum CodingKeys: String, CodingKey {
            case id, title, summary, effective, deadline, sources, informational
            case dataUsed = "data_used"
            case dataNotUsed = "data_not_used"
            case sharedWith = "shared_with"
        }
    }

    public struct ActionInfo: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var location: String
        public var url: String?

        enum CodingKeys: String, CodingKey {
            case id, title, url
            case location = "where"
        }
    }

    public var version: Int
    /// A test sent by `optoutd test-notify`, not a real notice.
    public var test: Bool
    public var event: EventKind
    /// When it was due, RFC 3339 in the account's zone.
    public var at: String
    /// The local date the notice belongs to (with account, policy and event, its identity).
    public var date: String
    public var late: Bool
    public var daysLeft: Int
    public var message: String
    public var account: AccountInfo
    public var policy: PolicyInfo
    public var pending: [ActionInfo]
    /// The owner's link to the confirmation page, when `web:` is configured.
    public var confirmURL: String?

    enum CodingKeys: String, CodingKey {
        case version, test, event, at, date, late, message, account, policy, pending
        case daysLeft = "days_left"
        case confirmURL = "confirm_url"
    }

    /// The notice as a message sent later tells it, once `done` actions were recorded: without
    /// them, and, when none of the actions it asked for is left, as the news that every one
    /// is done. A test, or a notice that asked for nothing, stays as it is.
    public func withoutDone(_ done: Set<String>) -> NoticeDocument {
        guard !test, event != .optedOut, pending.contains(where: { done.contains($0.id) }) else { return self }
        var copy = self
        copy.pending.removeAll { done.contains($0.id) }
        if copy.pending.isEmpty { copy.event = .optedOut }
        return copy
    }

    /// The syslog priority of its journal entry: its event's, except that a change which
    /// offers no way to opt out only informs (5, notice), also on the day it takes effect.
    public var priority: Int {
        policy.informational == true ? max(event.priority, EventKind.policyApplies.priority) : event.priority
    }

    public init(_ notice: Notice, test: Bool = false, confirmURL: String? = nil) {
        self.confirmURL = confirmURL
        version = Self.currentVersion
        self.test = test
        event = notice.event
        at = notice.localTime
        date = notice.date.description
        late = notice.late
        daysLeft = notice.daysLeft
        message = test ? "Test from optoutd: \(notice.message)" : notice.message
        account = AccountInfo(
            id: notice.account.id, platform: notice.account.platform, region: notice.account.region.description,
            name: notice.account.name, email: notice.account.email, timezone: notice.account.zone.identifier,
            language: notice.account.language, manager: notice.account.manager)
        let policy = notice.policy
        self.policy = PolicyInfo(
            id: policy.id, title: policy.title, summary: policy.summary, effective: policy.effective.description,
            deadline: policy.deadline.description, dataUsed: policy.dataUsed, dataNotUsed: policy.dataNotUsed,
            sharedWith: policy.sharedWith, sources: policy.sources.map { $0.url ?? $0.title ?? "" },
            informational: policy.isInformational ? true : nil)
        pending = notice.pending.map { ActionInfo(id: $0.id, title: $0.title, location: $0.location, url: $0.url) }
    }

    /// The `OPTOUT_*` fields every notice carries: journal fields and hook environment alike.
    public var optoutFields: [(name: String, value: String)] {
        [
            ("OPTOUT_EVENT", event.rawValue), ("OPTOUT_ACCOUNT", account.id), ("OPTOUT_PLATFORM", account.platform),
            ("OPTOUT_REGION", account.region), ("OPTOUT_POLICY", policy.id), ("OPTOUT_EFFECTIVE", policy.effective),
            ("OPTOUT_DEADLINE", policy.deadline), ("OPTOUT_DAYS_LEFT", String(daysLeft)),
            ("OPTOUT_PENDING", pending.map(\.id).joined(separator: ",")), ("OPTOUT_LATE", late ? "1" : "0"),
        ]
    }
}

extension EventKind: Codable {}
