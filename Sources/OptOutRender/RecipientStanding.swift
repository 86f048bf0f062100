import OptOutCore

/// What stands for the person a checklist goes to beyond the notices it is about: the
/// language their messages are in, and the steps still to do that it does not list (on
/// their other accounts, or of other policies). A message that finds everything of its
/// notices done says so without claiming that nothing is left, and its calendar keeps the
/// unlisted steps of the same days.
public struct RecipientStanding: Sendable {
    /// A step still to do that the message does not list.
    public struct Step: Sendable {
        public var account: String
        public var platform: String
        public var action: PolicyAction
        /// The earliest deadline of the policies that ask for it.
        public var deadline: CivilDate
        /// That deadline has passed, in the account's zone, when the message goes out.
        public var overdue: Bool

        public init(account: String, platform: String, action: PolicyAction, deadline: CivilDate, overdue: Bool) {
            self.account = account
            self.platform = platform
            self.action = action
            self.deadline = deadline
            self.overdue = overdue
        }
    }

    /// The language of the first of the person's accounts that names one, in the
    /// configuration's order: every message to them is in it, whichever accounts it is about.
    public var language: String?
    /// The steps still to do that the message does not list.
    public var otherSteps: [Step]
    /// For the accounts of the message, by account and action id: the earliest deadline of
    /// all the policies that ask for the action, also those the message is not about, so
    /// that a switch is due by the same day in every message and on the page.
    public var deadlines: [String: [String: CivilDate]]
    /// The deadlines by which the person, on any of their accounts, still has a step to do:
    /// a day of `deadlines` that is not among them has nothing left, and its calendar event
    /// is cancelled.
    public var pendingDays: Set<CivilDate>
    /// All the person's accounts, when known: a message names an account when the person has
    /// two on its platform, also when it is about one of them only.
    public var accounts: [Account]?

    public init(
        language: String? = nil, otherSteps: [Step] = [], deadlines: [String: [String: CivilDate]] = [:],
        pendingDays: Set<CivilDate> = [], accounts: [Account]? = nil
    ) {
        self.accounts = accounts
        self.language = language
        self.otherSteps = otherSteps
        self.deadlines = deadlines
        self.pendingDays = pendingDays
    }

    /// How the person's accounts are named, when all of them are known.
    var accountLabels: [String: String]? {
        accounts.map { AccountLabels.labels($0.map { ($0.id, $0.platform, $0.name) }) }
    }

    /// The days whose calendar events a message that tells of steps done cancels: those of
    /// the message's accounts with nothing left to do on any account of the person.
    var finishedDays: [CivilDate] {
        Set(deadlines.values.flatMap(\.values)).subtracting(pendingDays).sorted()
    }
}
