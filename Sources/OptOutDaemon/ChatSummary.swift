import OptOutCore

/// What one chat post says about the notices of one round: a title, then an item per
/// notice (who, which policy, what to switch off and where, by when), at most `limit` of
/// them and a count of the rest. The Slack, Mattermost and Teams payloads are written
/// from it, so that they say the same in each channel's markup.
struct ChatSummary: Equatable {
    /// A setting to switch off, and where.
    struct Setting: Equatable {
        var title: String
        var location: String
        var url: String?
    }

    /// One notice as a channel shows it.
    struct Item: Equatable {
        /// The account's name, or its id.
        var who: String
        /// Platform and region, as in "linkedin, CA".
        var account: String
        var policy: String
        var event: EventKind
        /// What to do by when, as in "switch off before 2025-11-03 (12 days left)".
        var timing: String
        /// The settings still to switch off, at most `actionLimit`.
        var actions: [Setting]
        var moreActions: Int
        /// Where the policy is described, when no action has a link of its own.
        var source: String?
        /// The owner's confirmation link, when the notice carries one.
        var confirm: String?
    }

    /// A post stays readable, and within every service's size limits, however many notices
    /// a round has: the rest are counted, not listed.
    static let itemLimit = 20
    static let actionLimit = 8
    /// Longest free text (a title, a place in the settings) before it is cut.
    static let textLimit = 200

    var title: String
    var items: [Item]
    /// Notices of the round that are not listed.
    var omitted: Int
    /// The words of a confirmation link.
    static let confirmLabel = "Confirm what you have switched off"
    /// Where the omitted ones can be read in full.
    static let omittedHint = "every notice is in the journal of the optoutd host"

    init(_ documents: [NoticeDocument], limit: Int = ChatSummary.itemLimit) {
        let sorted = documents.sorted {
            ($0.policy.deadline, $0.account.name ?? $0.account.id, $0.policy.id)
                < ($1.policy.deadline, $1.account.name ?? $1.account.id, $1.policy.id)
        }
        title = Self.title(sorted)
        items = sorted.prefix(limit).map(Self.item)
        omitted = max(sorted.count - limit, 0)
    }

    /// "and N more", when some notices are not listed.
    var omittedLine: String? {
        omitted > 0 ? "… and \(omitted) more \(omitted == 1 ? "notice" : "notices") (\(Self.omittedHint))" : nil
    }

    private static func title(_ documents: [NoticeDocument]) -> String {
        let test = documents.contains(where: \.test) ? "Test from optoutd: " : ""
        let open = documents.filter { $0.event != .optedOut }
        let accounts = Set(documents.map(\.account.id)).count
        let people = accounts == 1 ? "1 account" : "\(accounts) accounts"
        guard let first = open.map(\.policy.deadline).min() else {
            return "\(test)\(people) opted out of everything due"
        }
        let settings = Set(open.flatMap { document in document.pending.map { "\(document.account.id) \($0.id)" } })
            .count
        // On the deadline's date it has passed already: opting out comes before it.
        let overdue = open.filter { $0.daysLeft <= 0 }.count
        var title = "\(test)\(settings == 1 ? "1 setting" : "\(settings) settings") to switch off, \(people)"
        title += overdue > 0 ? ", \(overdue) overdue" : ", first before \(first)"
        return title
    }

    private static func item(_ document: NoticeDocument) -> Item {
        let account = document.account
        let actions = document.pending.prefix(actionLimit).map { action in
            Setting(title: clip(action.title), location: clip(action.location), url: action.url)
        }
        return Item(
            who: clip(account.name ?? account.id), account: "\(account.platform), \(account.region)",
            policy: clip(document.policy.title), event: document.event, timing: timing(document),
            actions: Array(actions), moreActions: max(document.pending.count - actionLimit, 0),
            source: document.policy.sources.first { $0.hasPrefix("https://") || $0.hasPrefix("http://") },
            confirm: document.event == .optedOut ? nil : document.confirmURL)
    }

    private static func timing(_ document: NoticeDocument) -> String {
        let deadline = document.policy.deadline
        // A deadline is "before" its date: on the date itself it has passed, as the report
        // counts it.
        let overdue = Policy.daysOverdue(daysLeft: document.daysLeft)
        switch document.daysLeft {
        case _ where document.event == .optedOut: return "opted out, nothing left to do"
        case 1...: return "switch off before \(deadline) (\(Notice.days(document.daysLeft)) left)"
        default: return "overdue since \(deadline) (\(Notice.days(overdue)))"
        }
    }

    /// Names and titles are text, not Markdown: punctuation that would format is escaped
    /// (with the brackets escaped, parentheses cannot make a link).
    static func markdownEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_~[]<>#|".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// `text` cut to `textLimit` characters, with an ellipsis when it was longer.
    static func clip(_ text: String, to limit: Int = textLimit) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
