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

/// What the state store knows of one pair, for `optoutd status`.
public struct PairRecord: Sendable, Equatable {
    public var lastEvent: EventKind
    public var lastSentAt: Instant
}
