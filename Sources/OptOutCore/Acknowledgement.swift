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

    /// The platform the record is about: the one it names; in a record made before the
    /// store kept it, the platform of the policy it names, if any.
    public func platform(in catalog: Catalog) -> String? {
        platform ?? catalog[policy]?.platform
    }

    /// Whether the record is about `account` as the configuration has it now. Action ids
    /// are shared across platforms (Facebook's and Instagram's objection forms are both
    /// `ai-objection-form`), so a record made while the account was on another platform
    /// says nothing of this one: an account moved to another platform starts with nothing
    /// done there. A record whose platform is unknown (made before the store kept it, with
    /// no policy named) is about the account on whichever platform, and so is one of an
    /// account the configuration does not have.
    public func isAbout(_ account: Account?, catalog: Catalog) -> Bool {
        guard let account, let platform = platform(in: catalog) else { return true }
        return platform == account.platform
    }

    /// What stands for this record's action of `account` once it is taken in, when
    /// `standing` stood before: this record (or, undone, nothing) when it is about the
    /// account; else what stood, except that a correction withdraws a record whose
    /// platform is unknown everywhere, as it was taken back where it was made.
    public func standing(
        after standing: Acknowledgement?, of account: Account?, catalog: Catalog
    ) -> Acknowledgement? {
        if isAbout(account, catalog: catalog) { return undone ? nil : self }
        if undone, let standing, standing.platform(in: catalog) == nil { return nil }
        return standing
    }
}
