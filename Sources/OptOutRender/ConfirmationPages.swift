import OptOutCore

/// The pages of `optoutd serve`: the checklist a person ticks to confirm their opt-outs, and
/// the page shown when a link or a form cannot be used. Same templates and languages as
/// the messages (`page` and `page-problem`, overridable the same way).
public struct ConfirmationPages: Sendable {
    /// Why a page other than the checklist is shown.
    public enum Problem: Sendable {
        /// The link is genuine but too old.
        case expired
        /// Malformed, tampered with, made with another key, or for accounts no longer
        /// configured: one answer for all, so that nobody learns which accounts exist.
        case unknown
        /// The form named a step the link does not cover.
        case rejected
        case tooLarge
        /// The form was sent from another site.
        case crossSite
        /// The state store cannot be read or written now (locked too long, a full disk).
        case unavailable
    }

    /// The page's whole style sheet: inline, and allowed by its hash alone.
    public static let style = """
        body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;padding:1rem;color:#1b1b1b;background:#fff}\
        main{max-width:40rem;margin:0 auto;overflow-wrap:anywhere}h1{font-size:1.5rem}fieldset{border:1px solid #bbb;\
        border-radius:.5rem;margin:0 0 1rem;padding:.5rem 1rem;min-inline-size:0}legend{font-weight:600;padding:0 .25rem}.step{padding:.5rem 0;\
        border-top:1px solid #eee}.step:first-of-type{border-top:0}.step input{width:1.4rem;height:1.4rem;\
        vertical-align:middle;margin-right:.5rem}.step label{font-weight:600;vertical-align:middle}\
        .detail{margin:.25rem 0 0 2rem;color:#444}.is-done .title{color:#2d6a2d}.badge{background:#2d6a2d;\
        color:#fff;border-radius:.25rem;padding:0 .4rem;font-size:.85rem}textarea{width:100%;box-sizing:border-box;\
        font:inherit}.hint{color:#555;margin:.25rem 0}button{font:inherit;font-weight:600;margin-top:1rem;\
        padding:.75rem 1.25rem;border:0;border-radius:.5rem;background:#0b57d0;color:#fff;width:100%}\
        .outcome{background:#eef6ee;border-left:4px solid #2d6a2d;padding:.5rem 1rem;margin-bottom:1rem}\
        .problem{background:#fdecea;border-left-color:#b3261e}.aside{font-size:.85rem}\
        a{color:#0b57d0}@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}.detail,.hint{color:#bbb}\
        .step{border-color:#333}a{color:#8ab4f8}.outcome{background:#1e2b1e}.problem{background:#3a1d1b}}
        """

    private let settings: MessageSettings
    private let templates: MessageTemplates

    public init(settings: MessageSettings) {
        self.settings = settings
        templates = MessageTemplates(overrides: settings.templateOverrides)
    }

    /// The language of a page about `accounts`: the first that names one, else the default.
    public func language(of accounts: [Account]) -> MessageLanguage {
        accounts.lazy.compactMap { $0.language.flatMap(MessageLanguage.init(rawValue:)) }.first
            ?? MessageLanguage(rawValue: settings.language) ?? .en
    }

    /// What a person sent that was not recorded as it was, put back into the form so that
    /// nothing typed is lost.
    public struct Returned: Sendable {
        /// The note, as far as it can be kept.
        public var note: String
        /// The `ACCOUNT:ACTION` values that were ticked.
        public var ticked: [String]
        /// The note held what cannot be kept, so nothing was recorded; otherwise it came
        /// with nothing ticked, and a note is kept only with the steps it is about.
        public var noteRefused: Bool

        public init(note: String, ticked: [String], noteRefused: Bool) {
            self.note = note
            self.ticked = ticked
            self.noteRefused = noteRefused
        }
    }

    /// The checklist of `accounts` as it stands at `now`.
    ///
    /// - Parameters:
    ///   - person: all accounts of the person the link is for, in the configuration's
    ///     order: the page is in their language and greets them by their name (by default,
    ///     the link's accounts).
    ///   - formAction: where the form posts (the link's own path).
    ///   - recorded: after a submission, the `ACCOUNT:ACTION` values just recorded; `nil` before one.
    ///   - alreadyDone: those it ticked that were recorded as done before (another tab, the
    ///     same form sent twice, an `ack` meanwhile).
    ///   - returned: what the person sent that was not recorded as it was.
    public func checklist(
        _ accounts: [AccountActions], person: [Account]? = nil, formAction: String, recorded: [String]?,
        alreadyDone: [String] = [], returned: Returned? = nil, now: Instant
    ) -> String {
        let person = person ?? accounts.map(\.account)
        let language = language(of: person)
        let page = ChecklistPage(
            accounts, person: person, language: language, settings: settings, formAction: formAction,
            recorded: recorded, alreadyDone: alreadyDone, returned: returned, now: now)
        return templates.render(.page, language, page)
    }

    /// The page for `problem`, in `language` (the default when the link says nothing).
    /// An expired link still names its accounts: its page is in their language.
    public func problem(_ problem: Problem, language: MessageLanguage? = nil, back: String? = nil) -> String {
        let language = language ?? MessageLanguage(rawValue: settings.language) ?? .en
        let context = ProblemPage(
            language: language.rawValue, style: Self.style, expired: problem == .expired,
            unknown: problem == .unknown, rejected: problem == .rejected, tooLarge: problem == .tooLarge,
            crossSite: problem == .crossSite, unavailable: problem == .unavailable, back: back,
            contact: settings.contact)
        return templates.render(.pageProblem, language, context)
    }
}

/// What the `page-problem` template sees.
struct ProblemPage {
    var language: String
    var style: String
    var expired: Bool
    var unknown: Bool
    var rejected: Bool
    var tooLarge: Bool
    var crossSite: Bool
    var unavailable: Bool
    var back: String?
    var contact: String?
}
