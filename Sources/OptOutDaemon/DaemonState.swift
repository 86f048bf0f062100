import OptOutCore

/// Everything the daemon's loop knows between two wake-ups: one value, changed only by the
/// loop's handlers.
struct DaemonState {
    var scheduler: Scheduler
    var outbox: Outbox
    /// The last acknowledgement acted on.
    var lastAcknowledgement: Int64
    /// Why the last reload was rejected, while the configuration before it stays in force.
    var rejection: String?
    var reload: ReloadPhase = .idle
    /// Histories recorded while a reload is prepared, handed to the new scheduler.
    var recordedDuringReload: [(pair: PairKey, history: PairHistory)] = []
    /// Channels with a drain under way.
    var draining: Set<String> = []
    var storeTrouble: StoreTrouble?
    /// The store trouble that ended last, and when: a store that fails again soon after
    /// (a nearly full disk takes some writes) continues it rather than starting afresh.
    var endedStoreTrouble: (trouble: StoreTrouble, at: Instant)?
    /// When the privacy team's summary is next due, when one is configured.
    var nextSummaryReport: Instant?
    var sendingSummaryReport = false

    enum ReloadPhase: Equatable {
        case idle
        /// A configuration is being loaded beside the loop; `again` when another SIGHUP came meanwhile.
        case preparing(again: Bool)
    }
}

/// Why the daemon does not deliver: its state store cannot be written, or is gone.
struct StoreTrouble: Equatable {
    enum Kind: Equatable {
        /// Writes fail; they are tried again at `retryAt`.
        case unwritable
        /// The file was deleted or replaced: nothing more until a restart.
        case gone
    }

    var kind: Kind
    var reason: String
    var since: Instant
    var retryAt: Instant
    /// Seconds until the next try; doubles after each failed one.
    var backoff: Int

    static let firstBackoff = 5
    static let longestBackoff = 300

    static func unwritable(_ reason: String, at now: Instant) -> StoreTrouble {
        StoreTrouble(
            kind: .unwritable, reason: reason, since: now, retryAt: now.adding(seconds: firstBackoff),
            backoff: firstBackoff)
    }

    /// The trouble a failed write at `now` puts the daemon in; `nil` when it is already in
    /// one that said so for this period. A failure within the longest back-off of the end
    /// of the last trouble continues that one, its back-off still growing: otherwise a
    /// store that takes some writes and fails others would log twice every few seconds.
    static func after(
        _ current: StoreTrouble?, ended: (trouble: StoreTrouble, at: Instant)?, reason: String, at now: Instant
    ) -> StoreTrouble? {
        if let current {
            return current.retryAt <= now ? current.failedAgain(reason, at: now) : nil
        }
        if let ended, ended.trouble.kind == .unwritable,
            now.secondsSince1970 - ended.at.secondsSince1970 < longestBackoff
        {
            return ended.trouble.failedAgain(reason, at: now)
        }
        return .unwritable(reason, at: now)
    }

    /// The same trouble after another failed try at `now`.
    func failedAgain(_ reason: String, at now: Instant) -> StoreTrouble {
        let backoff = min(self.backoff * 2, Self.longestBackoff)
        return StoreTrouble(
            kind: kind, reason: reason, since: since, retryAt: now.adding(seconds: backoff), backoff: backoff)
    }

    var summary: String {
        switch kind {
        case .unwritable:
            "state store cannot be written since \(since) (\(reason)): deliveries paused, next try at \(retryAt)"
        case .gone: "state store was deleted or replaced: deliveries stopped until optoutd is restarted"
        }
    }
}
