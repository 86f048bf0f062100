/// A record that an opt-out action was done (or, with `undone`, that it is pending again),
/// written by `optoutd ack` or the confirmation page. Records are never rewritten: a
/// correction is a record of its own.
public struct Acknowledgement: Sendable, Equatable {
    public var id: Int64
    public var account: String
    /// The policy named, or empty when the platform's switch was named alone.
    public var policy: String
    public var action: String
    public var at: Instant
    public var note: String?
    /// How it was recorded: `cli:USER`, or `link` (the confirmation page).
    public var source: String
    public var undone: Bool

    public init(
        id: Int64, account: String, policy: String, action: String, at: Instant, note: String?, source: String,
        undone: Bool
    ) {
        self.id = id
        self.account = account
        self.policy = policy
        self.action = action
        self.at = at
        self.note = note
        self.source = source
        self.undone = undone
    }
}
