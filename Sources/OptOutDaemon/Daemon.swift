import Foundation
import Logging
import OptOutConfig
import OptOutCore
import ServiceLifecycle
import UnixSignals

/// Where the daemon reads its configuration and keeps its state.
public struct DaemonSettings: Sendable {
    public var configPath: String
    public var statePath: String

    public init(configPath: String, statePath: String) {
        self.configPath = configPath
        self.statePath = statePath
    }

    /// The file `optoutd ack` writes after recording, to wake a running daemon.
    public var acknowledgementTrigger: String { statePath + ".ack" }
}

/// The long-running service: sleeps until a notice is due, records it, delivers it, and
/// reacts to SIGHUP (reload), `ack`, clock changes and the watchdog.
public final class Daemon: Service {
    private let settings: DaemonSettings
    private let initialConfiguration: Configuration
    private let store: StateStore
    private let logger: Logger
    private let notifier: ServiceNotifier
    private let clock: @Sendable () -> Instant
    private let channels: [any NotificationChannel]

    public init(
        settings: DaemonSettings, configuration: Configuration, store: StateStore, logger: Logger,
        notifier: ServiceNotifier = ServiceNotifier(), channels: [any NotificationChannel] = [JournalChannel()],
        clock: @escaping @Sendable () -> Instant
    ) {
        self.settings = settings
        self.initialConfiguration = configuration
        self.store = store
        self.logger = logger
        self.notifier = notifier
        self.channels = channels
        self.clock = clock
    }

    /// Delivers what is due now and returns (`optoutd run --once`).
    public func runOnce() async throws {
        var scheduler = try makeScheduler(initialConfiguration)
        try await advance(&scheduler)
    }

    public func run() async throws {
        var scheduler = try makeScheduler(initialConfiguration)
        var lastAcknowledgement = try store.acknowledgements().last?.id ?? 0
        var rejection: String?
        // Trap SIGHUP before READY=1: its default action would end the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let wakeups = try WakeUpSource(
            triggerFile: settings.acknowledgementTrigger, watchdogInterval: notifier.watchdogInterval.map { $0 / 2 })
        notifier.ready(status: status(scheduler, rejection))
        logger.notice(
            "optoutd started: \(status(scheduler, nil))", metadata: ["MESSAGE_ID": "\(MessageID.started)"])
        try await advance(&scheduler)
        try wakeups.schedule(at: nextWake(scheduler))
        notifier.status(status(scheduler, rejection))

        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { wakeups.post(.reload) }
                }
                for await wakeUp in wakeups.events {
                    switch wakeUp {
                    case .watchdog:
                        notifier.watchdog()
                        continue
                    case .reload:
                        rejection = try reload(&scheduler)
                    case .acknowledged:
                        let new = try store.acknowledgements(after: lastAcknowledgement)
                        lastAcknowledgement = new.last?.id ?? lastAcknowledgement
                        let now = clock()
                        for (account, actions) in Dictionary(grouping: new, by: \.account) {
                            if let step = scheduler.acknowledge(
                                account: account, actions: actions.map(\.action), at: now)
                            {
                                try record(step, at: now, configuration: scheduler.configuration)
                            }
                        }
                    case .due, .clockChanged:
                        break
                    }
                    try await advance(&scheduler)
                    try wakeups.schedule(at: nextWake(scheduler))
                    notifier.status(status(scheduler, rejection))
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wakeups.finish()
        }
        notifier.stopping()
        logger.notice("optoutd stopping", metadata: ["MESSAGE_ID": "\(MessageID.stopping)"])
    }

    // MARK: Steps

    private func makeScheduler(_ configuration: Configuration) throws -> Scheduler {
        var acknowledged: [String: Set<String>] = [:]
        for acknowledgement in try store.acknowledgements() {
            acknowledged[acknowledgement.account, default: []].insert(acknowledgement.action)
        }
        return Scheduler(configuration: configuration, histories: try store.histories(), acknowledged: acknowledged)
    }

    /// Records and delivers everything due now.
    private func advance(_ scheduler: inout Scheduler) async throws {
        let now = clock()
        try record(scheduler.advance(to: now), at: now, configuration: scheduler.configuration)
        try await Outbox(store: store, channels: channels, logger: logger).deliverWaiting(now: now)
    }

    private func record(_ step: Scheduler.Step, at now: Instant, configuration: Configuration) throws {
        let available = Set(channels.map(\.name))
        try store.record(step, at: now) { notice in
            configuration.channels.names(for: notice.event).filter(available.contains)
        }
    }

    /// Loads the configuration again; a rejected one leaves the running one in force.
    /// Returns why it was rejected, or `nil`.
    private func reload(_ scheduler: inout Scheduler) throws -> String? {
        notifier.reloading()
        let loaded = ConfigurationLoader(now: clock()).load(path: settings.configPath)
        guard let configuration = loaded.configuration else {
            let errors = loaded.diagnostics.filter { $0.severity == .error }
            let reason =
                "reload rejected (\(errors.count) error\(errors.count == 1 ? "" : "s")): \(errors.first?.description ?? "")"
            logger.error(
                "configuration rejected, the running one stays in force: \(errors.map(\.description).joined(separator: "; "))",
                metadata: [
                    "MESSAGE_ID": "\(MessageID.configurationRejected)",
                    "OPTOUT_CONFIG_ERRORS": "\(errors.map(\.description).joined(separator: "\n"))",
                ])
            notifier.ready(status: status(scheduler, reason))
            return reason
        }
        scheduler = try makeScheduler(configuration)
        logger.notice(
            "configuration reloaded: \(status(scheduler, nil))", metadata: ["MESSAGE_ID": "\(MessageID.reloaded)"])
        notifier.ready(status: status(scheduler, nil))
        return nil
    }

    private func nextWake(_ scheduler: Scheduler) throws -> Instant? {
        [scheduler.nextDue, try store.nextDeliveryAttempt()].compactMap { $0 }.min()
    }

    /// The STATUS= line: what is watched and what is next (and why a reload was rejected).
    private func status(_ scheduler: Scheduler, _ rejection: String?) -> String {
        let configuration = scheduler.configuration
        var text =
            "\(configuration.accounts.count) accounts, \(configuration.catalog.policies.count) policies, \(scheduler.pendingPairCount) pending pairs"
        if let next = scheduler.upcoming,
            let account = configuration.accounts.first(where: { $0.id == next.pair.account })
        {
            let when = next.at == .distantPast ? "now" : account.zone.rfc3339(next.at)
            text += "; next: \(next.event.rawValue) for \(next.pair.account) (\(next.pair.policy)) at \(when)"
        } else {
            text += "; nothing scheduled"
        }
        if let rejection { text += "; \(rejection)" }
        return text
    }
}
