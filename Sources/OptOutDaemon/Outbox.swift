import Foundation
import Logging
import OptOutCore

/// Why a delivery did not arrive.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Retrying cannot help (such as HTTP 400): the delivery is given up at once.
    public var permanent: Bool

    public init(_ description: String, permanent: Bool = false) {
        self.description = description
        self.permanent = permanent
    }
}

/// Somewhere a notice can be delivered: the journal, mail, a hook, a webhook.
public protocol NotificationChannel: Sendable {
    /// The name used in `plan`'s `channels` and in the state store.
    var name: String { get }
    /// How many deliveries of this channel may run at once.
    var concurrency: Int { get }
    /// Who receives a notice through this channel: one delivery each. `nil` stands for
    /// the channel itself (journal, hook, webhook); mail lists addresses.
    func recipients(of notice: Notice) -> [String?]
    /// When a delivery issued at `now` is first tried (a daily digest waits for its hour).
    func firstAttempt(issuedAt now: Instant) -> Instant
    /// Delivers one notice, or several as one digest when `digest` is set, to `recipient`.
    func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError)
    /// Whether the deliveries waiting for one recipient go out together as one message.
    var digest: Bool { get }
}

extension NotificationChannel {
    public var concurrency: Int { 1 }
    public var digest: Bool { false }
    public func recipients(of notice: Notice) -> [String?] { [nil] }
    public func firstAttempt(issuedAt now: Instant) -> Instant { now }
}

/// The journal: every notice becomes one entry with exactly the SPEC's fields.
public struct JournalChannel: NotificationChannel {
    public let name = ChannelSettings.journal
    private let journal: Journal

    public init(journal: Journal = Journal()) {
        self.journal = journal
    }

    public func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError) {
        // libsystemd drops entries silently when no journald listens: that is not a delivery.
        guard Journal.isAvailable else {
            throw DeliveryError("journal: no journald socket at /run/systemd/journal/socket")
        }
        for document in documents {
            var fields: [(name: String, value: String)] = [
                ("MESSAGE", document.message), ("MESSAGE_ID", MessageID.notice(document.event)),
                ("PRIORITY", String(document.event.priority)), ("SYSLOG_IDENTIFIER", "optoutd"),
            ]
            fields += document.optoutFields
            if document.test { fields.append(("OPTOUT_TEST", "1")) }
            do {
                try journal.send(fields)
            } catch {
                throw DeliveryError("journal: \(error)")
            }
        }
    }
}

/// Delivers what the state store holds as waiting. Channels work side by side, so a
/// failing one never holds up another; failures are retried with exponential back-off
/// (1 minute doubling to 1 hour, with jitter) until `giveUpAfter` has passed since the
/// notice was issued, and then reported as never delivered.
public struct Outbox: Sendable {
    public let store: StateStore
    public let channels: [String: any NotificationChannel]
    public let giveUpAfterSeconds: Int
    public let logger: Logger

    public init(store: StateStore, channels: [any NotificationChannel], giveUpAfterSeconds: Int, logger: Logger) {
        self.store = store
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.giveUpAfterSeconds = giveUpAfterSeconds
        self.logger = logger
    }

    /// Where each notice goes: `channel` or `channel:recipient`, with its first attempt.
    public func targets(of notice: Notice, names: [String], issuedAt now: Instant) -> [(
        target: String, firstAttempt: Instant
    )] {
        names.compactMap { channels[$0] }.flatMap { channel in
            channel.recipients(of: notice).map { recipient in
                (recipient.map { "\(channel.name):\($0)" } ?? channel.name, channel.firstAttempt(issuedAt: now))
            }
        }
    }

    /// Delivers every waiting delivery that is due at `now`, a batch at a time so that
    /// memory stays flat however many wait.
    public func deliverDue(now: Instant) async {
        while !Task.isCancelled {
            let due: [Delivery]
            do {
                due = try store.waitingDeliveries(dueBy: now, limit: Self.batchSize)
            } catch {
                logger.error("cannot read the outbox: \(error)")
                return
            }
            await withTaskGroup(of: Void.self) { group in
                for (name, deliveries) in Dictionary(grouping: due, by: \.channelName) {
                    group.addTask { await deliver(deliveries, through: name, now: now) }
                }
            }
            if due.count < Self.batchSize { return }
        }
    }

    /// How many deliveries are read from the store at a time.
    static let batchSize = 500

    /// One channel's deliveries: digests grouped per recipient, at most `concurrency` at once.
    private func deliver(_ deliveries: [Delivery], through name: String, now: Instant) async {
        guard let channel = channels[name] else {
            // Its channel left the configuration: keep the record in case it comes back.
            for delivery in deliveries {
                record {
                    try store.markFailed(
                        delivery, error: "channel \(name) is not configured", retryAt: now.adding(seconds: 3600))
                }
            }
            return
        }
        let batches: [[Delivery]] =
            channel.digest ? Array(Dictionary(grouping: deliveries, by: \.recipient).values) : deliveries.map { [$0] }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for batch in batches {
                if Task.isCancelled { break }  // stopping: the rest waits in the store
                if running >= channel.concurrency {
                    await group.next()
                    running -= 1
                }
                group.addTask { await deliver(batch, through: channel, now: now) }
                running += 1
            }
        }
    }

    private func deliver(_ batch: [Delivery], through channel: any NotificationChannel, now: Instant) async {
        var live: [Delivery] = []
        for delivery in batch {
            if now.secondsSince1970 - delivery.issuedAt.secondsSince1970 > giveUpAfterSeconds {
                giveUp(
                    delivery, channel: channel.name,
                    reason:
                        "not delivered within \(giveUpAfterSeconds / 3600) hours (last error: \(delivery.lastError ?? "none"))"
                )
            } else {
                live.append(delivery)
            }
        }
        guard let first = live.first else { return }
        do {
            try await channel.deliver(live.map(\.document), to: first.recipient)
            for delivery in live { record { try store.markDelivered(delivery, at: now) } }
        } catch {
            for delivery in live {
                if error.permanent {
                    giveUp(delivery, channel: channel.name, reason: error.description)
                    continue
                }
                let retry = now.adding(seconds: Self.backoff(attempt: delivery.attempts + 1))
                record { try store.markFailed(delivery, error: error.description, retryAt: retry) }
                logger.warning(
                    "channel \(delivery.channelName) failed to deliver \(delivery.document.event.rawValue) for \(delivery.document.account.id): \(error); retrying at \(retry)",
                    metadata: metadata(delivery, channel: channel.name))
            }
        }
    }

    private func giveUp(_ delivery: Delivery, channel: String, reason: String) {
        record { try store.markGivenUp(delivery, error: reason) }
        logger.error(
            "never delivered through \(delivery.target): \(delivery.document.event.rawValue) for \(delivery.document.account.id) (\(delivery.document.policy.id)): \(reason)",
            metadata: metadata(delivery, channel: channel))
    }

    private func metadata(_ delivery: Delivery, channel: String) -> Logger.Metadata {
        [
            "MESSAGE_ID": "\(MessageID.channelFailing)", "OPTOUT_CHANNEL": "\(channel)",
            "OPTOUT_ACCOUNT": "\(delivery.document.account.id)", "OPTOUT_POLICY": "\(delivery.document.policy.id)",
            "OPTOUT_EVENT": "\(delivery.document.event.rawValue)",
        ]
    }

    private func record(_ write: () throws -> Void) {
        do { try write() } catch { logger.error("cannot update the outbox: \(error)") }
    }

    /// Seconds before attempt `attempt + 1`: 60 s doubling to 3600 s, ±10 % jitter.
    static func backoff(attempt: Int) -> Int {
        let base = min(60 << min(max(attempt - 1, 0), 6), 3600)
        return base + Int.random(in: -(base / 10)...(base / 10))
    }
}
