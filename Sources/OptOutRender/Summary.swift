import OptOutCore

/// What a copy to `cc` (a privacy team) says about a round of notices: counts, and a table
/// of at most `rowLimit` notices, however many there are; `optoutd status` and `plan`
/// show the rest.
///
/// The fields are what the `summary-*` templates see.
struct Summary {
    static let rowLimit = 50

    struct Row {
        var account: String
        var name: String?
        var email: String?
        var platform: String
        var policy: String
        var event: String
        var deadline: String
        var pending: Int
    }

    struct EventCount {
        var event: String
        var count: Int
    }

    var prefix: String?
    var test: Bool
    /// For a manager, of the escalations of the accounts they look after: it says why they
    /// get it and what is asked of them.
    var manager: Bool
    var language: String
    var date: String
    var noticeCount: Int
    var oneNotice: Bool
    var accountCount: Int
    var oneAccount: Bool
    var peopleCount: Int
    var withoutAddress: Int
    var events: [EventCount]
    var rows: [Row]
    var more: Int?
    var contact: String?
    var footer: String?

    init(
        _ documents: [NoticeDocument], day: CivilDate, language: MessageLanguage, settings: MessageSettings,
        manager: Bool = false
    ) {
        prefix = settings.subjectPrefix
        test = documents.contains(where: \.test)
        self.manager = manager
        self.language = language.rawValue
        date = language.longDate(day)
        noticeCount = documents.count
        var accounts: [String: NoticeDocument.AccountInfo] = [:]
        for document in documents { accounts[document.account.id] = document.account }
        accountCount = accounts.count
        oneNotice = documents.count == 1
        oneAccount = accounts.count == 1
        peopleCount = Set(accounts.values.compactMap { $0.email?.lowercased() }).count
        withoutAddress = accounts.values.filter { $0.email == nil }.count
        events = EventKind.allCases.compactMap { event in
            let count = documents.count { $0.event == event }
            return count == 0 ? nil : EventCount(event: language.eventName(event), count: count)
        }
        // The most pressing first: the earliest deadline, then the most left to do; changes
        // with nothing to do (no deadline to meet) last.
        let shown = documents.sorted {
            ($0.policy.informational == true ? 1 : 0, $0.policy.deadline, -$0.pending.count, $0.account.id) < (
                $1.policy.informational == true ? 1 : 0, $1.policy.deadline, -$1.pending.count, $1.account.id
            )
        }.prefix(Self.rowLimit)
        rows = shown.map { document in
            Row(
                account: document.account.id, name: document.account.name, email: document.account.email,
                platform: PlatformName.display(document.account.platform), policy: document.policy.id,
                event: language.eventName(document.event),
                deadline: document.policy.informational == true
                    ? language.noOptOut
                    : CivilDate(iso: document.policy.deadline).map(language.longDate) ?? document.policy.deadline,
                pending: document.pending.count)
        }
        more = documents.count > Self.rowLimit ? documents.count - Self.rowLimit : nil
        contact = settings.contact
        footer = settings.footer
    }
}
