import Foundation
import Synchronization
import Logging
import OptOutConfig
import OptOutCore

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
/// reacts to SIGHUP (reload), SIGTERM and SIGINT (stop), `ack`, clock changes and the watchdog.
public final class Daemon: Sendable {
    private let settings: DaemonSettings
    private let initialConfiguration: Configuration
    private let store: StateStore
    private let logger: Logger
    private let notifier: ServiceNotifier
    private let clock: @Sendable () -> Instant
    private let makeChannels: @Sendable (Configuration) -> [any NotificationChannel]
    /// Notices recorded per turn of the scheduling loop.
    static let sliceSize = 500
    /// A reload prepared beside the scheduling loop, waiting to take over.
    private let preparedReload = Mutex<ReloadOutcome?>(nil)

    /// - Parameter channels: the channels of a configuration (the journal and the configured ones).
    public init(
        settings: DaemonSettings, configuration: Configuration, store: StateStore, logger: Logger,
        notifier: ServiceNotifier = ServiceNotifier(),
        channels: @escaping @Sendable (Configuration) -> [any NotificationChannel],
        clock: @escaping @Sendable () -> Instant
    ) {
        self.settings = settings
        self.initialConfiguration = configuration
        self.store = store
        self.logger = logger
        self.notifier = notifier
        self.makeChannels = channels
        self.clock = clock
    }

    /// Delivers what is due now and returns (`optoutd run --once`).
    public func runOnce() async throws {
        var scheduler = try makeScheduler(initialConfiguration)
        let outbox = makeOutbox(initialConfiguration)
        try record(scheduler.advance(to: clock()), outbox: outbox, configuration: initialConfiguration)
        await outbox.deliverDue(now: clock())
    }

    public func run() async throws {
        var scheduler = try makeScheduler(initialConfiguration)
        var outbox = makeOutbox(initialConfiguration)
        var lastAcknowledgement = try store.acknowledgements().last?.id ?? 0
        var rejection: String?
        var delivering = false
        // A reload is prepared beside the loop, which keeps delivering meanwhile; what the loop
        // records in the meantime is handed to the new scheduler when it takes over.
        var reloading = false
        var reloadAgain = false
        var recordedDuringReload: [(pair: PairKey, history: PairHistory)] = []
        // Signals are relayed before READY=1: SIGHUP's default action would end the process.
        let wakeups = try WakeUpSource(
            triggerFile: settings.acknowledgementTrigger, watchdogInterval: notifier.watchdogInterval.map { $0 / 2 },
            relayingSignals: true)
        notifier.ready(status: status(scheduler, rejection))
        logger.notice(
            "optoutd started: \(status(scheduler, nil))", metadata: ["MESSAGE_ID": "\(MessageID.started)"])

        try await withThrowingTaskGroup(of: Void.self) { group in
            wakeups.post(.due)  // what is due at start
            for await wakeUp in wakeups.events {
                if wakeups.isFinished { break }  // stopping: what is left waits for the next start
                let now = clock()
                switch wakeUp {
                case .watchdog:
                    notifier.watchdog()
                    continue
                case .reload:
                    if reloading {
                        reloadAgain = true
                        continue
                    }
                    reloading = true
                    notifier.reloading()
                    group.addTask {
                        let outcome = self.prepareReload()
                        self.preparedReload.withLock { $0 = outcome }
                        wakeups.post(.reloaded)
                    }
                    continue
                case .reloaded:
                    guard let outcome = preparedReload.withLock({ $0.take() }) else { continue }
                    reloading = false
                    switch outcome {
                    case .rejected(let reason):
                        rejection = reason
                    case .loaded(var replacement, let acknowledgedThrough):
                        replacement.remember(recordedDuringReload)
                        for (account, actions) in Dictionary(
                            grouping: try store.acknowledgements(after: acknowledgedThrough), by: \.account)
                        {
                            _ = replacement.acknowledge(account: account, actions: actions.map(\.action), at: now)
                        }
                        scheduler = replacement
                        outbox = makeOutbox(scheduler.configuration)
                        rejection = nil
                        logger.notice(
                            "configuration reloaded: \(status(scheduler, nil))",
                            metadata: ["MESSAGE_ID": "\(MessageID.reloaded)"])
                    }
                    recordedDuringReload = []
                    notifier.ready(status: status(scheduler, rejection))
                    if reloadAgain {
                        reloadAgain = false
                        wakeups.post(.reload)
                    }
                case .acknowledged:
                    let new = try store.acknowledgements(after: lastAcknowledgement)
                    lastAcknowledgement = new.last?.id ?? lastAcknowledgement
                    for (account, actions) in Dictionary(grouping: new, by: \.account) {
                        if let step = scheduler.acknowledge(
                            account: account, actions: actions.map(\.action), at: now)
                        {
                            try record(step, outbox: outbox, configuration: scheduler.configuration)
                            if reloading { recordedDuringReload += step.histories }
                        }
                    }
                case .delivered:
                    delivering = false
                case .due, .clockChanged:
                    break
                }
                // A burst (a first start with many accounts) goes in slices, so that signals,
                // acks and the watchdog are heard in between: what is still due re-arms the
                // timer in the past, which wakes the loop again at once.
                let step = scheduler.advance(to: now, limit: Self.sliceSize)
                try record(step, outbox: outbox, configuration: scheduler.configuration)
                if reloading { recordedDuringReload += step.histories }
                // Deliveries run beside this loop, so a slow channel never holds up the schedule.
                let nextDelivery = try store.nextDeliveryAttempt()
                if !delivering, let nextDelivery, nextDelivery <= now {
                    delivering = true
                    group.addTask { [outbox] in
                        await outbox.deliverDue(now: now)
                        wakeups.post(.delivered)
                    }
                }
                let nextRetry = delivering ? nil : nextDelivery
                wakeups.schedule(at: [scheduler.nextDue, nextRetry].compactMap { $0 }.min())
                // STATUS= once a burst is through, not after every slice of it.
                if (scheduler.nextDue.map { $0 > now } ?? true) {
                    notifier.status(status(scheduler, rejection))
                }
            }
            group.cancelAll()
        }
        notifier.stopping()
        logger.notice("optoutd stopping", metadata: ["MESSAGE_ID": "\(MessageID.stopping)"])
    }

    // MARK: Steps

    private func makeScheduler(_ configuration: Configuration) throws -> Scheduler {
        Scheduler(
            configuration: configuration, histories: try store.histories(),
            acknowledged: try store.acknowledgedActions())
    }

    private func makeOutbox(_ configuration: Configuration) -> Outbox {
        Outbox(
            store: store, channels: makeChannels(configuration),
            giveUpAfterSeconds: configuration.channels.giveUpAfterSeconds, logger: logger)
    }

    /// Records a step: its notices with a delivery for each channel (and recipient) they go to.
    private func record(_ step: Scheduler.Step, outbox: Outbox, configuration: Configuration) throws {
        let now = clock()
        try store.record(step, at: now) { notice in
            outbox.targets(of: notice, names: configuration.channels.names(for: notice.event), issuedAt: now)
        }
    }

    /// What loading the configuration again gave.
    enum ReloadOutcome: Sendable {
        /// A scheduler for the new configuration, with the state as of acknowledgement `acknowledgedThrough`.
        case loaded(Scheduler, acknowledgedThrough: Int64)
        /// The configuration was rejected (and the rejection reported); the running one stays.
        case rejected(String)
    }

    /// Loads the configuration and the state, and builds a scheduler for them (beside the loop).
    private func prepareReload() -> ReloadOutcome {
        let loaded = ConfigurationLoader(now: clock()).load(path: settings.configPath)
        // As `run` prints them at start (such as a policy replacing a shipped one).
        for warning in loaded.diagnostics where warning.severity == .warning {
            logger.warning("\(warning)")
        }
        guard let configuration = loaded.configuration else {
            let errors = loaded.diagnostics.filter { $0.severity == .error }
            logger.error(
                "configuration rejected, the running one stays in force: \(errors.map(\.description).joined(separator: "; "))",
                metadata: [
                    "MESSAGE_ID": "\(MessageID.configurationRejected)",
                    "OPTOUT_CONFIG_ERRORS": "\(errors.map(\.description).joined(separator: "\n"))",
                ])
            return .rejected(
                "reload rejected (\(errors.count) error\(errors.count == 1 ? "" : "s")): \(errors.first?.description ?? "")"
            )
        }
        do {
            let acknowledgedThrough = try store.acknowledgements().last?.id ?? 0
            return .loaded(try makeScheduler(configuration), acknowledgedThrough: acknowledgedThrough)
        } catch {
            logger.error("cannot read the state store for the new configuration: \(error)")
            return .rejected("reload failed: cannot read the state store: \(error)")
        }
    }

    /// The STATUS= line: what is watched and what is next (and why a reload was rejected).
    private func status(_ scheduler: Scheduler, _ rejection: String?) -> String {
        let configuration = scheduler.configuration
        var text =
            "\(configuration.accounts.count) accounts, \(configuration.catalog.policies.count) policies, \(scheduler.pendingPairCount) pending pairs"
        if let next = scheduler.upcoming,
            let account = scheduler.account(next.pair.account)
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
