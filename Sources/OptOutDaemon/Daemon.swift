import Foundation
import Logging
import OptOutConfig
import OptOutCore
import Synchronization

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
///
/// The loop holds one `DaemonState` and gives each wake-up to a small handler. Deliveries
/// run beside it as tasks, one drain per channel; loading a configuration again runs beside
/// it too, so that neither holds up the schedule.
public final class Daemon: Sendable {
    let settings: DaemonSettings
    let initialConfiguration: Configuration
    let store: StateStore
    let lock: StoreLock?
    let logger: Logger
    let notifier: ServiceNotifier
    let clock: @Sendable () -> Instant
    let makeChannels: @Sendable (Configuration, ConfirmationLinks?) -> [any NotificationChannel]
    let makeLinks: @Sendable (Configuration) -> ConfirmationLinks?
    /// Notices recorded per turn of the scheduling loop.
    static let sliceSize = 500
    /// A reload prepared beside the scheduling loop, waiting to take over.
    let preparedReload = Mutex<ReloadOutcome?>(nil)

    /// - Parameters:
    ///   - channels: the channels of a configuration (the journal and the configured ones),
    ///     whose messages carry the links given.
    ///   - links: what makes the confirmation links of a configuration, when it has `web:`;
    ///     asked once per configuration.
    ///   - lock: the store's instance lock, which also shows the daemon's status to `optoutd status`.
    public init(
        settings: DaemonSettings, configuration: Configuration, store: StateStore, lock: StoreLock? = nil,
        logger: Logger, notifier: ServiceNotifier = ServiceNotifier(),
        channels: @escaping @Sendable (Configuration, ConfirmationLinks?) -> [any NotificationChannel],
        links: @escaping @Sendable (Configuration) -> ConfirmationLinks? = { _ in nil },
        clock: @escaping @Sendable () -> Instant
    ) {
        self.makeLinks = links
        self.settings = settings
        self.initialConfiguration = configuration
        self.store = store
        self.lock = lock
        self.logger = logger
        self.notifier = notifier
        self.makeChannels = channels
        self.clock = clock
    }

    /// Delivers what is due now and returns (`optoutd run --once`).
    public func runOnce() async throws {
        try warnIfTheClockIsBehind(clock())
        var scheduler = try makeScheduler(initialConfiguration)
        let outbox = makeOutbox(initialConfiguration)
        try record(scheduler.advance(to: clock()), outbox: outbox, configuration: initialConfiguration)
        let now = clock()
        // The configured channels, and those that left the configuration with deliveries due.
        let channels = Set(outbox.channels.keys).union(try store.nextDeliveryAttempts().filter { $0.value <= now }.keys)
        let failures = await withTaskGroup(of: Outbox.Outcome.self) { group in
            for name in channels { group.addTask { await outbox.drain(name, now: now) } }
            return await group.reduce(into: [String]()) { if case .storeFailed(let why) = $1 { $0.append(why) } }
        }
        if let failure = failures.first { throw StoreError(store.path, failure) }
        if let report = SummaryReport(initialConfiguration),
            let due = try nextSummaryReport(initialConfiguration, now: now), due <= now
        {
            _ = await sendSummaryReport(report, outbox: outbox, now: now)
        }
    }

    public func run() async throws {
        var state = DaemonState(
            scheduler: try makeScheduler(initialConfiguration), outbox: makeOutbox(initialConfiguration),
            lastAcknowledgement: try store.acknowledgements().last?.id ?? 0)
        state.nextSummaryReport = try nextSummaryReport(initialConfiguration, now: clock())
        let wakeups = try WakeUpSource(
            triggerFile: settings.acknowledgementTrigger, watchdogInterval: notifier.watchdogInterval.map { $0 / 2 },
            relayingSignals: true)
        report(state, ready: true)
        logger.notice(
            "optoutd started: \(statusLine(state))", metadata: ["MESSAGE_ID": "\(MessageID.started)"])
        try warnIfTheClockIsBehind(clock())

        await withTaskGroup(of: Void.self) { group in
            wakeups.post(.due)  // what is due at start
            for await wakeUp in wakeups.events {
                if wakeups.isFinished { break }  // stopping: what is left waits for the next start
                let now = clock()
                switch wakeUp {
                case .watchdog:
                    notifier.watchdog()
                    continue
                case .reload:
                    startReload(&state, group: &group, wakeups: wakeups)
                    continue
                case .reloaded:
                    finishReload(&state, now: now, wakeups: wakeups)
                case .acknowledged:
                    acknowledge(&state, now: now)
                case .delivered(let channel, let outcome):
                    state.draining.remove(channel)
                    if case .storeFailed(let reason) = outcome { storeFailed(&state, reason, now: now) }
                case .reported(let sent):
                    state.sendingSummaryReport = false
                    // Sent: the next in `report_every` days; not sent: again in an hour.
                    state.nextSummaryReport =
                        sent
                        ? (try? nextSummaryReport(state.scheduler.configuration, now: now))
                        : now.adding(seconds: 3600)
                case .due, .clockChanged:
                    break
                }
                advance(&state, now: now, group: &group, wakeups: wakeups)
            }
            // Stopping: transfers in flight are aborted and hook processes ended; what they
            // were delivering stays waiting for the next start.
            notifier.stopping()
            group.cancelAll()
        }
        if !notifier.waitUntilSent() { logger.warning("\(ServiceNotifier.notReadingWarning)") }
        logger.notice("optoutd stopping", metadata: ["MESSAGE_ID": "\(MessageID.stopping)"])
    }

    // MARK: Handlers

    /// Records what is due, starts the drains of channels with deliveries due, and sleeps
    /// until the next of either.
    private func advance(
        _ state: inout DaemonState, now: Instant, group: inout TaskGroup<Void>, wakeups: WakeUpSource
    ) {
        if state.storeTrouble?.kind != .gone, !store.isInPlace {
            storeFailed(&state, StoreError.gone(store.path).reason, now: now)
        }
        if let trouble = state.storeTrouble {
            guard trouble.kind == .unwritable, trouble.retryAt <= now else {
                wakeups.schedule(at: trouble.kind == .gone ? nil : trouble.retryAt)
                report(state)
                return
            }
            // Try again from what the store holds: what the scheduler decided while the
            // store could not take it was never recorded, so it is decided again.
            do {
                state.scheduler = try makeScheduler(state.scheduler.configuration)
                state.lastAcknowledgement = try store.acknowledgements().last?.id ?? 0
            } catch {
                storeFailed(&state, "\(error)", now: now)
                return advance(&state, now: now, group: &group, wakeups: wakeups)
            }
        }
        // A burst (a first start with many accounts) goes in slices, so that signals, acks
        // and the watchdog are heard in between: what is still due re-arms the timer in the
        // past, which wakes the loop again at once.
        let step = state.scheduler.advance(to: now, limit: Self.sliceSize)
        guard record(step, into: &state, now: now) else {
            return advance(&state, now: now, group: &group, wakeups: wakeups)
        }
        if let trouble = state.storeTrouble {
            state.storeTrouble = nil
            state.endedStoreTrouble = (trouble, now)
            logger.notice(
                "the state store can be written again (it could not since \(trouble.since)); deliveries go on",
                metadata: ["MESSAGE_ID": "\(MessageID.storeRecovered)"])
        }
        let nextAttempts: [String: Instant]
        do {
            nextAttempts = try store.nextDeliveryAttempts()
        } catch {
            storeFailed(&state, "cannot read the outbox: \(error)", now: now)
            return advance(&state, now: now, group: &group, wakeups: wakeups)
        }
        // Each channel drains on its own: a slow one holds up neither the others nor the journal.
        for (channel, attempt) in nextAttempts where attempt <= now && !state.draining.contains(channel) {
            state.draining.insert(channel)
            let outbox = state.outbox
            group.addTask {
                let outcome = await outbox.drain(channel, now: now)
                wakeups.post(.delivered(channel: channel, outcome: outcome))
            }
        }
        if let due = state.nextSummaryReport, due <= now, !state.sendingSummaryReport,
            let report = SummaryReport(state.scheduler.configuration)
        {
            state.sendingSummaryReport = true
            let outbox = state.outbox
            group.addTask {
                let sent = await self.sendSummaryReport(report, outbox: outbox, now: now)
                wakeups.post(.reported(sent: sent))
            }
        }
        let nextRetry = nextAttempts.filter { !state.draining.contains($0.key) }.values.min()
        let nextReport = state.sendingSummaryReport ? nil : state.nextSummaryReport
        wakeups.schedule(at: [state.scheduler.nextDue, nextRetry, nextReport].compactMap { $0 }.min())
        // STATUS= once a burst is through, not after every slice of it.
        if (state.scheduler.nextDue.map { $0 > now } ?? true) { report(state) }
    }

    /// Acts on acknowledgements recorded since the last one seen.
    private func acknowledge(_ state: inout DaemonState, now: Instant) {
        guard state.storeTrouble == nil else { return }  // read again when the store recovers
        let new: [Acknowledgement]
        do {
            new = try store.acknowledgements(after: state.lastAcknowledgement)
        } catch {
            return storeFailed(&state, "cannot read acknowledgements: \(error)", now: now)
        }
        state.lastAcknowledgement = new.last?.id ?? state.lastAcknowledgement
        // An action taken back makes its pairs pending again: start again from the store.
        if new.contains(where: \.undone) {
            do {
                state.scheduler = try makeScheduler(state.scheduler.configuration)
            } catch {
                storeFailed(&state, "cannot read the state store: \(error)", now: now)
            }
            return
        }
        let configuration = state.scheduler.configuration
        let about = new.filter { $0.isAbout(configuration.account(id: $0.account), catalog: configuration.catalog) }
        for (account, actions) in Dictionary(grouping: about, by: \.account) {
            if let step = state.scheduler.acknowledge(account: account, actions: actions.map(\.action), at: now) {
                guard record(step, into: &state, now: now) else { return }
            }
        }
    }

    /// Records a step; on failure, enters (or extends) the store trouble and returns false.
    private func record(_ step: Scheduler.Step, into state: inout DaemonState, now: Instant) -> Bool {
        do {
            try record(step, outbox: state.outbox, configuration: state.scheduler.configuration)
        } catch {
            storeFailed(&state, "\(error)", now: now)
            return false
        }
        if state.reload != .idle { state.recordedDuringReload += step.histories }
        return true
    }

    /// The store could not be read or written: pause deliveries, with back-off, and say so
    /// once per try (never once per delivery).
    func storeFailed(_ state: inout DaemonState, _ reason: String, now: Instant) {
        let gone = !store.isInPlace
        let trouble: StoreTrouble
        if gone {
            guard state.storeTrouble?.kind != .gone else { return }
            trouble = StoreTrouble(kind: .gone, reason: reason, since: now, retryAt: now, backoff: 0)
        } else {
            guard
                let next = StoreTrouble.after(
                    state.storeTrouble, ended: state.endedStoreTrouble, reason: reason, at: now)
            else { return }  // already said for this period
            trouble = next
        }
        state.storeTrouble = trouble
        logger.error(
            "\(trouble.summary)",
            metadata: ["MESSAGE_ID": "\(MessageID.storeFailing)", "OPTOUT_STORE": "\(store.path)"])
        report(state)
    }

    // MARK: Steps

    /// Says so when the store has handled notices past `now` (by more than an hour, which
    /// a clock set right by NTP never is): those are not sent again when their time comes
    /// once more, and whoever set the clock back should know.
    private func warnIfTheClockIsBehind(_ now: Instant) throws {
        guard let latest = try store.latestHandled(), latest.secondsSince1970 - now.secondsSince1970 > 3600 else {
            return
        }
        let zone = initialConfiguration.defaultZone
        logger.warning(
            "the clock (\(zone.rfc3339(now))) is behind what the state store has handled (up to \(zone.rfc3339(latest))): notices due until then were handled then and are not sent again; check the system clock",
            metadata: ["MESSAGE_ID": "\(MessageID.clockBehind)"])
    }

    func makeScheduler(_ configuration: Configuration) throws -> Scheduler {
        // A large inventory's pairs are made on every core (threads that end when done).
        Scheduler(
            configuration: configuration, histories: try store.histories(),
            acknowledged: try store.acknowledgedActions(in: configuration), parallel: ThreadedMap())
    }

    func makeOutbox(_ configuration: Configuration) -> Outbox {
        let links = makeLinks(configuration)
        return Outbox(
            store: store, channels: makeChannels(configuration, links),
            giveUpAfterSeconds: configuration.channels.giveUpAfterSeconds, logger: logger, links: links)
    }

    /// Records a step: its notices with a delivery for each channel (and recipient) they go to.
    private func record(_ step: Scheduler.Step, outbox: Outbox, configuration: Configuration) throws {
        let now = clock()
        try store.record(step, at: now, links: outbox.links) { notice in
            outbox.targets(of: notice, names: configuration.channels.names(for: notice.event), issuedAt: now)
        }
    }
}
