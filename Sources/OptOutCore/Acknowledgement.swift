/// A record that an opt-out action was done (or, with `undone`, that it is pending again),
/// written by `optoutd ack` or the confirmation page. Records are never rewritten: a
/// correction is a record of its own.
public struct Acknowledgement: Sendable, Equatable {
    public var id: Int64
    public var account: String
    /// The policy named, or empty when the platform's switch was named alone.
    public var policy: String
    public var action: String
    /// The account's platform when it was recorded; nil in records made before the store
    /// kept it.
    public var platform: String?
    public var at: Instant
    public var note: String?
    /// How it was recorded: `cli:USER`, or `link` (the confirmation page).
    public var source: String
    public var undone: Bool

    public init(
        id: Int64, account: String, policy: String, action: String, platform: String?, at: Instant, note: String?,
        source: String, undone: Bool
    ) {
        self.id = id
        self.account = account
        self.policy = policy
        self.action = action
        self.platform = platform
        self.at = at
        self.note = note
        self.source = source
        self.undone = undone
    }

    /// Whether the record is about `account` as the configuration has it now. Action ids
    /// are shared across platforms (Facebook's and Instagram's objection forms are both
    /// `ai-objection-form`), so a record made while the account was on another platform
    /// says nothing of this one: an account moved to another platform starts with nothing
    /// done there. A record from before the platform was kept is about the account on
    /// whichever platform, and so is one of an account the configuration does not have.
    public func isAbout(_ account: Account?) -> Bool {
        guard let platform, let account else { return true }
        return platform == account.platform
    }
}
