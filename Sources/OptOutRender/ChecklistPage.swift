import OptOutCore

/// What the `page` template sees: a person's accounts grouped by platform, each step with
/// a checkbox while pending and with when it was done once done.
struct ChecklistPage {
    struct Step {
        /// The form value: `ACCOUNT:ACTION`.
        var value: String
        var inputID: String
        var title: String
        var location: String
        var url: String?
        var deadline: String
        var overdue: Bool
        var done: Bool
        /// When it was recorded, written out; `nil` for the configuration's `done:`.
        var doneOn: String?
        /// Ticked in a form sent back to be checked again.
        var checked: Bool
    }

    struct Group {
        var platform: String
        /// The account's name or id, when the person has more than one on the platform.
        var account: String?
        var actions: [Step]
    }

    var language: String
    var style: String
    var name: String?
    var formAction: String
    var groups: [Group]
    var submitted: Bool
    var anyRecorded: Bool
    /// The steps just recorded, by title.
    var recorded: [String]
    /// The steps ticked that were recorded as done already, by title.
    var alreadyDone: [String]
    var anyAlreadyDone: Bool
    var pendingCount: Int
    var onePending: Bool
    var allDone: Bool
    var contact: String?
    var footer: String?
    /// The note put back into its box, when one was sent and not recorded.
    var note: String?
    var noteRefused: Bool
    var noteNotKept: Bool

    /// - Parameter person: all the person's accounts, whose first name greets them (by
    ///   default, the page's).
    init(
        _ accounts: [AccountActions], person: [Account]? = nil, language: MessageLanguage, settings: MessageSettings,
        formAction: String, recorded: [String]?, alreadyDone: [String] = [], returned: ConfirmationPages.Returned?,
        now: Instant
    ) {
        self.language = language.rawValue
        style = ConfirmationPages.style
        name = (person ?? accounts.map(\.account)).lazy.compactMap(\.name).first
        self.formAction = formAction
        let labels = AccountLabels.labels(accounts.map { ($0.account.id, $0.account.platform, $0.account.name) })
        var number = 0
        var titles: [String: String] = [:]
        groups = accounts.filter { !$0.items.isEmpty }.sorted { $0.account.platform < $1.account.platform }.map {
            entry in
            let account = entry.account
            let today = account.zone.localDate(of: now)
            let label = labels[account.id]
            return Group(
                platform: PlatformName.display(account.platform), account: label,
                actions: entry.items.map { item in
                    number += 1
                    let value = "\(account.id):\(item.action.id)"
                    titles[value] = label.map { "\(item.action.title) (\($0))" } ?? item.action.title
                    return Step(
                        value: value, inputID: "step-\(number)", title: item.action.title,
                        location: item.action.location, url: item.action.url,
                        deadline: language.longDate(item.deadline), overdue: item.deadline <= today,
                        done: item.isDone,
                        doneOn: item.record.map { language.longDate(account.zone.localDate(of: $0.at)) },
                        checked: returned?.ticked.contains(value) ?? false)
                })
        }
        note = returned?.note
        noteRefused = returned?.noteRefused ?? false
        noteNotKept = returned.map { !$0.noteRefused } ?? false
        submitted = recorded != nil
        self.recorded = (recorded ?? []).compactMap { titles[$0] }
        anyRecorded = !self.recorded.isEmpty
        self.alreadyDone = alreadyDone.compactMap { titles[$0] }
        anyAlreadyDone = !self.alreadyDone.isEmpty
        pendingCount = groups.reduce(0) { $0 + $1.actions.count { !$0.done } }
        onePending = pendingCount == 1
        allDone = pendingCount == 0
        contact = settings.contact
        footer = settings.footer
    }
}
