import Foundation
import Logging
import OptOutCore

/// Somewhere a notice can be delivered.
public protocol NotificationChannel: Sendable {
    /// The name used in `delivery.channel` and in `plan`'s `channels`.
    var name: String { get }
    /// Delivers one notice, given as its journal-style fields. Throws when it did not arrive.
    func deliver(_ fields: [String: String]) async throws
}

/// The journal: every notice becomes one entry with the SPEC's fields.
public struct JournalChannel: NotificationChannel {
    public let name = ChannelSettings.journal
    private let journal: Journal

    public init(journal: Journal = Journal()) {
        self.journal = journal
    }

    public func deliver(_ fields: [String: String]) async throws {
        try journal.send(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}

/// Delivers what the state store holds as waiting, channel by channel, and schedules
/// retries with exponential back-off (1 minute doubling to 1 hour, with jitter).
public struct Outbox: Sendable {
    public let store: StateStore
    public let channels: [String: any NotificationChannel]
    public let logger: Logger

    public init(store: StateStore, channels: [any NotificationChannel], logger: Logger) {
        self.store = store
        self.channels = Dictionary(uniqueKeysWithValues: channels.map { ($0.name, $0) })
        self.logger = logger
    }

    /// Delivers every waiting delivery due by `now`. Each is marked in the store as soon as
    /// its channel accepted it, so a crash repeats at most the one in flight.
    public func deliverWaiting(now: Instant) async throws {
        while true {
            let batch = try store.waitingDeliveries(dueBy: now)
            var progressed = false
            for delivery in batch {
                guard let channel = channels[delivery.channel] else {
                    // A channel removed from the configuration: keep the record, retry after a reload.
                    try store.markFailed(delivery, error: "channel not configured", retryAt: now.adding(seconds: 3600))
                    continue
                }
                do {
                    try await channel.deliver(delivery.fields)
                    try store.markDelivered(delivery, at: now)
                    progressed = true
                } catch {
                    let retry = now.adding(seconds: Self.backoff(attempt: delivery.attempts + 1))
                    try store.markFailed(delivery, error: "\(error)", retryAt: retry)
                    logger.error(
                        "channel \(delivery.channel) failed to deliver \(delivery.fields["OPTOUT_EVENT"] ?? "a notice") for \(delivery.fields["OPTOUT_ACCOUNT"] ?? "?"): \(error); retrying at \(retry)",
                        metadata: [
                            "MESSAGE_ID": "\(MessageID.channelFailing)", "OPTOUT_CHANNEL": "\(delivery.channel)",
                            "OPTOUT_ACCOUNT": "\(delivery.fields["OPTOUT_ACCOUNT"] ?? "")",
                            "OPTOUT_POLICY": "\(delivery.fields["OPTOUT_POLICY"] ?? "")",
                        ])
                }
            }
            if batch.count < 1000 || !progressed { return }
        }
    }

    /// Seconds before attempt `attempt + 1`: 60 s doubling to 3600 s, ±10 % jitter.
    static func backoff(attempt: Int) -> Int {
        let base = min(60 << min(max(attempt - 1, 0), 6), 3600)
        return base + Int.random(in: -(base / 10)...(base / 10))
    }
}
