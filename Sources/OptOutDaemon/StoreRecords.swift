import Foundation

import OptOutCore

/// A notice waiting to reach one channel (or one recipient of a channel).
public struct Delivery: Sendable, Equatable {
    public var notice: Int64
    /// `channel` or `channel:recipient`.
    public var target: String
    public var attempts: Int
    public var issuedAt: Instant
    public var lastError: String?
    /// The notice as it was issued.
    public var document: NoticeDocument

    public var channelName: String { String(target.prefix { $0 != ":" }) }
    public var recipient: String? { target.firstIndex(of: ":").map { String(target[target.index(after: $0)...]) } }
}

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
}

/// What the state store knows of one pair, for `optoutd status`.
public struct PairRecord: Sendable, Equatable {
    public var lastEvent: EventKind
    public var lastSentAt: Instant
}
