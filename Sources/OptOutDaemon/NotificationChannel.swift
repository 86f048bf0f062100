import Foundation
import OptOutCore

/// Somewhere a notice can be delivered: the journal, mail, a hook, a webhook.
public protocol NotificationChannel: Sendable {
    /// The name used in `plan`'s `channels` and in the state store.
    var name: String { get }
    /// How many deliveries of this channel may run at once.
    var concurrency: Int { get }
    /// Who receives a notice through this channel: one delivery each. `nil` stands for
    /// the channel itself (journal, hook, webhook); mail lists addresses.
    func recipients(of notice: Notice) -> [String?]
    /// When a delivery of `notice` issued at `now` is first tried (a daily digest waits
    /// for its hour).
    func firstAttempt(of notice: Notice, issuedAt now: Instant) -> Instant
    /// Delivers one notice, or (with `gathersPerRecipient`) every notice due for `recipient`
    /// in one drain of the outbox as one message.
    func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError)
    /// Whether the deliveries due for one recipient in one drain go out together as one
    /// message (a daily digest, one mail per person per round, one chat post per round).
    var gathersPerRecipient: Bool { get }
}

extension NotificationChannel {
    public var concurrency: Int { 1 }
    public var gathersPerRecipient: Bool { false }
    public func recipients(of notice: Notice) -> [String?] { [nil] }
    public func firstAttempt(of notice: Notice, issuedAt now: Instant) -> Instant { now }
}
