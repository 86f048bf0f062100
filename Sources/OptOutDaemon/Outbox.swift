import Foundation
import Logging
import OptOutCore
import Synchronization

/// Delivers what the state store holds as waiting, one channel at a time per call: each
/// channel drains on its own, so a slow or hanging one holds up neither another channel nor
/// the journal. Failures are retried with exponential back-off (1 minute doubling to 1
/// hour, with jitter) until `giveUpAfter` has passed since the notice was issued, and then
/// reported as never delivered: always after a try that failed, as the daemon may have been
/// stopped for longer than that, and the channel may work now.
///
/// A delivery is marked done right after its channel confirms it. When that write fails
/// (the disk is full, the file system read-only), the drain stops at once: the deliveries
/// that went out are kept as `unrecorded` and marked first when the store can be written
/// again, instead of being sent again and again.
public struct Outbox: Sendable {
    public let store: StateStore
    public let channels: [String: any NotificationChannel]
    public let giveUpAfterSeconds: Int
    public let logger: Logger
    /// Makes the confirmation links the notices' documents carry, when `web:` is configured.
    public let links: ConfirmationLinks?
    private let unrecorded: UnrecordedDeliveries

    /// How a drain ended.
    public enum Outcome: Sendable, Equatable {
        case drained
        /// The store could not be read or written: deliveries must pause.
        case storeFailed(String)
    }

    public init(
        store: StateStore, channels: [any NotificationChannel], giveUpAfterSeconds: Int, logger: Logger,
        links: ConfirmationLinks? = nil, unrecorded: UnrecordedDeliveries = UnrecordedDeliveries()
    ) {
        self.links = links
        self.store = store
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.giveUpAfterSeconds = giveUpAfterSeconds
        self.logger = logger
        self.unrecorded = unrecorded
    }

    /// The same outbox with other channels (after a reload); what is unrecorded stays.
    public func with(channels: [any NotificationChannel], giveUpAfterSeconds: Int, links: ConfirmationLinks?)
        -> Outbox
    {
        Outbox(
            store: store, channels: channels, giveUpAfterSeconds: giveUpAfterSeconds, logger: logger, links: links,
            unrecorded: unrecorded)
    }

    /// Where each notice goes: `channel` or `channel:recipient`, with its first attempt.
    public func targets(of notice: Notice, names: [String], issuedAt now: Instant) -> [(
        target: String, firstAttempt: Instant
    )] {
        names.compactMap { channels[$0] }.flatMap { channel in
            channel.recipients(of: notice).map { recipient in
                (
                    recipient.map { "\(channel.name):\($0)" } ?? channel.name,
                    channel.firstAttempt(of: notice, issuedAt: now)
                )
            }
        }
    }

    /// How many deliveries are read from the store at a time.
    static let batchSize = 500

    /// Delivers every waiting delivery of channel `name` that is due at `now`, a batch at a
    /// time so that memory stays flat however many wait.
    public func drain(_ name: String, now: Instant) async -> Outcome {
        if let failure = recordUnrecorded(of: name, now: now) { return .storeFailed(failure) }
        if let channel = channels[name], channel.gathersPerRecipient {
            return await drainPerRecipient(channel, now: now)
        }
        while !Task.isCancelled {
            let due: [Delivery]
            do {
                due = try store.waitingDeliveries(channel: name, dueBy: now, limit: Self.batchSize)
            } catch {
                return .storeFailed("cannot read the outbox: \(error)")
            }
            guard let channel = channels[name] else {
                // Its channel left the configuration: kept in case it comes back, until its time.
                for delivery in due {
                    let failure =
                        isPastItsTime(delivery, now: now)
                        ? giveUp(
                            delivery, channel: name,
                            reason:
                                "not delivered within \(Self.span(hours: giveUpAfterSeconds / 3600)): channel \(name) is no longer configured",
                            now: now)
                        : write({
                            try store.markFailed(
                                delivery, error: "channel \(name) is not configured", at: now,
                                retryAt: now.adding(seconds: 3600))
                        })
                    if let failure { return .storeFailed(failure) }
                }
                return .drained
            }
            if let failure = await deliver(due, through: channel, now: now) { return .storeFailed(failure) }
            if due.count < Self.batchSize { return .drained }
        }
        return .drained
    }

    /// A channel that sends one message per recipient: everything due for each recipient is
    /// read together, however many deliveries wait in all, so that a person (or a copy
    /// address) gets one message for the round; a batch of recipients at a time.
    private func drainPerRecipient(_ channel: any NotificationChannel, now: Instant) async -> Outcome {
        let targets: [String]
        do {
            targets = try store.waitingTargets(channel: channel.name, dueBy: now)
        } catch {
            return .storeFailed("cannot read the outbox: \(error)")
        }
        var start = 0
        while start < targets.count, !Task.isCancelled {
            let chunk = targets[start..<min(start + Self.batchSize, targets.count)]
            start = chunk.endIndex
            let messages: [[Delivery]]
            do {
                messages = try chunk.map { try store.waitingDeliveries(target: $0, dueBy: now) }.filter { !$0.isEmpty }
            } catch {
                return .storeFailed("cannot read the outbox: \(error)")
            }
            if let failure = await send(messages, through: channel, now: now) { return .storeFailed(failure) }
        }
        return .drained
    }

    /// One batch of single deliveries, at most `concurrency` at once. Returns why the store
    /// could not be written, if it could not.
    private func deliver(_ deliveries: [Delivery], through channel: any NotificationChannel, now: Instant) async
        -> String?
    {
        await send(deliveries.map { [$0] }, through: channel, now: now)
    }

    /// Messages, each of one delivery or of a recipient's, at most `concurrency` at once.
    private func send(_ batches: [[Delivery]], through channel: any NotificationChannel, now: Instant) async
        -> String?
    {
        await withTaskGroup(of: String?.self) { group in
            var running = 0
            var failure: String?
            for batch in batches {
                // Stopping, or the store failed: the rest waits in the store.
                if Task.isCancelled || failure != nil { break }
                if running >= channel.concurrency {
                    if let finished = await group.next(), let finished { failure = failure ?? finished }
                    running -= 1
                }
                group.addTask { await sendMessage(batch, through: channel, now: now) }
                running += 1
            }
            for await result in group { failure = failure ?? result }
            return failure
        }
    }

    /// Whether `give_up_after` has passed since the delivery's notice was issued.
    private func isPastItsTime(_ delivery: Delivery, now: Instant) -> Bool {
        now.secondsSince1970 - delivery.issuedAt.secondsSince1970 > giveUpAfterSeconds
    }

    /// `give_up_after` as a message says it: whole days, else hours (it is read in hours).
    static func span(hours: Int) -> String {
        hours > 0 && hours.isMultiple(of: 24)
            ? "\(hours / 24) day\(hours == 24 ? "" : "s")" : "\(hours) hour\(hours == 1 ? "" : "s")"
    }

    /// One message: a notice, or a digest of several for one recipient.
    private func sendMessage(_ batch: [Delivery], through channel: any NotificationChannel, now: Instant) async
        -> String?
    {
        let live = batch
        guard let first = live.first else { return nil }
        do {
            try await channel.deliver(live.map(\.document), to: first.recipient)
        } catch {
            if error.cancelled { return nil }  // stopping: it stays waiting as it was
            for delivery in live {
                if error.permanent || isPastItsTime(delivery, now: now) {
                    let reason =
                        error.permanent
                        ? error.description
                        : "not delivered within \(Self.span(hours: giveUpAfterSeconds / 3600)); the last try said: \(error.description)"
                    if let failure = giveUp(delivery, channel: channel.name, reason: reason, now: now) {
                        return failure
                    }
                    continue
                }
                let retry = now.adding(seconds: Self.backoff(attempt: delivery.attempts + 1))
                if let failure = write({
                    try store.markFailed(delivery, error: error.description, at: now, retryAt: retry)
                }) {
                    return failure
                }
                // In the account's zone, as every other time said of the account.
                let retryShown = Zone(identifier: delivery.document.account.timezone)?.rfc3339(retry) ?? "\(retry)"
                logger.warning(
                    "channel \(channel.name) failed to deliver \(delivery.document.event.rawValue) for \(delivery.document.account.id): \(error); retrying at \(retryShown)",
                    metadata: metadata(delivery, channel: channel.name))
            }
            return nil
        }
        for (index, delivery) in live.enumerated() {
            if let failure = write({ try store.markDelivered(delivery, at: now) }) {
                unrecorded.add(Array(live[index...]))
                return failure
            }
        }
        return nil
    }

    /// Marks what went out while the store could not be written. Returns why it still cannot be.
    private func recordUnrecorded(of channel: String, now: Instant) -> String? {
        for delivery in unrecorded.take(channel: channel) {
            if let failure = write({ try store.markDelivered(delivery, at: now) }) {
                unrecorded.add([delivery])
                return failure
            }
        }
        return nil
    }

    private func giveUp(_ delivery: Delivery, channel: String, reason: String, now: Instant) -> String? {
        if let failure = write({ try store.markGivenUp(delivery, error: reason, at: now) }) { return failure }
        logger.error(
            "never delivered through \(delivery.target): \(delivery.document.event.rawValue) for \(delivery.document.account.id) (\(delivery.document.policy.id)): \(reason)",
            metadata: metadata(delivery, channel: channel))
        return nil
    }

    private func metadata(_ delivery: Delivery, channel: String) -> Logger.Metadata {
        [
            "MESSAGE_ID": "\(MessageID.channelFailing)", "OPTOUT_CHANNEL": "\(channel)",
            "OPTOUT_ACCOUNT": "\(delivery.document.account.id)", "OPTOUT_POLICY": "\(delivery.document.policy.id)",
            "OPTOUT_EVENT": "\(delivery.document.event.rawValue)",
        ]
    }

    /// Runs a store write; returns why it failed, if it did.
    private func write(_ update: () throws -> Void) -> String? {
        do {
            try update()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Seconds before attempt `attempt + 1`: 60 s doubling to 3600 s, ±10 % jitter.
    static func backoff(attempt: Int) -> Int {
        let base = min(60 << min(max(attempt - 1, 0), 6), 3600)
        return base + Int.random(in: -(base / 10)...(base / 10))
    }
}

/// Deliveries that went out while the store could not be written, until they are marked.
public final class UnrecordedDeliveries: Sendable {
    private let deliveries = Mutex<[Delivery]>([])

    public init() {}

    func add(_ added: [Delivery]) {
        deliveries.withLock { $0 += added }
    }

    /// Takes out those of `channel`.
    func take(channel: String) -> [Delivery] {
        deliveries.withLock { all in
            let taken = all.filter { $0.channelName == channel }
            all.removeAll { $0.channelName == channel }
            return taken
        }
    }
}
