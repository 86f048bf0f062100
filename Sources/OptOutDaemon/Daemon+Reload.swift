import Foundation
import OptOutCore

/// SIGHUP: the configuration is loaded again beside the loop, which keeps delivering
/// meanwhile; what the loop records in the meantime is handed to the new scheduler when
/// it takes over. A rejected configuration leaves the running one in force.
extension Daemon {
    /// What loading the configuration again gave.
    enum ReloadOutcome: Sendable {
        /// A scheduler for the new configuration, with the state as of acknowledgement `acknowledgedThrough`.
        case loaded(Scheduler, acknowledgedThrough: Int64)
        /// The configuration was rejected (and the rejection reported); the running one stays.
        case rejected(String)
    }

    func startReload(_ state: inout DaemonState, group: inout TaskGroup<Void>, wakeups: WakeUpSource) {
        guard state.reload == .idle else {
            state.reload = .preparing(again: true)
            return
        }
        state.reload = .preparing(again: false)
        notifier.reloading()
        group.addTask {
            let outcome = self.prepareReload()
            self.preparedReload.withLock { $0 = outcome }
            wakeups.post(.reloaded)
        }
    }

    func finishReload(_ state: inout DaemonState, now: Instant, wakeups: WakeUpSource) {
        guard let outcome = preparedReload.withLock({ $0.take() }) else { return }
        let again = state.reload == .preparing(again: true)
        state.reload = .idle
        switch outcome {
        case .rejected(let reason):
            state.rejection = reason
        case .loaded(var replacement, let acknowledgedThrough):
            replacement.remember(state.recordedDuringReload)
            do {
                let records = try store.acknowledgements(after: acknowledgedThrough)
                if !Self.catchUp(&replacement, with: records, actedOnThrough: state.lastAcknowledgement, at: now) {
                    replacement = try makeScheduler(replacement.configuration)
                }
            } catch {
                storeFailed(&state, "cannot read acknowledgements: \(error)", now: now)
            }
            state.scheduler = replacement
            let links = makeLinks(replacement.configuration)
            state.outbox = state.outbox.with(
                channels: makeChannels(replacement.configuration, links),
                giveUpAfterSeconds: replacement.configuration.channels.giveUpAfterSeconds, links: links)
            state.rejection = nil
            state.nextSummaryReport = try? nextSummaryReport(replacement.configuration, now: now)
            logger.notice(
                "configuration reloaded: \(statusLine(state))", metadata: ["MESSAGE_ID": "\(MessageID.reloaded)"])
        }
        state.recordedDuringReload = []
        report(state, ready: true)
        if again { wakeups.post(.reload) }
    }

    /// Tells a new scheduler of the acknowledgements recorded after the state it was made
    /// from, which the running loop acted on meanwhile (through `last`): their notices are
    /// recorded, and remembered by it. Later ones are left to the loop, which acts on them
    /// with the new scheduler and records what they send. Returns `false` when one takes an
    /// action back: only a scheduler made from the store again has the pair pending again.
    static func catchUp(
        _ replacement: inout Scheduler, with records: [Acknowledgement], actedOnThrough last: Int64, at now: Instant
    ) -> Bool {
        let configuration = replacement.configuration
        let actedOn = records.filter {
            $0.id <= last && $0.isAbout(configuration.account(id: $0.account), catalog: configuration.catalog)
        }
        guard !actedOn.contains(where: \.undone) else { return false }
        for (account, actions) in Dictionary(grouping: actedOn, by: \.account) {
            _ = replacement.acknowledge(account: account, actions: actions.map(\.action), at: now)
        }
        return true
    }

    /// Loads the configuration and the state, and builds a scheduler for them (beside the loop).
    private func prepareReload() -> ReloadOutcome {
        let configuration: Configuration
        switch ConfigurationReload.load(path: settings.configPath, now: clock(), logger: logger) {
        case .success(let loaded): configuration = loaded
        case .failure(let rejection): return .rejected(rejection.reason)
        }
        do {
            // Read before the scheduler's state: a record made between the two is in both,
            // and acting on it twice changes nothing.
            let acknowledgedThrough = try store.acknowledgements().last?.id ?? 0
            return .loaded(try makeScheduler(configuration), acknowledgedThrough: acknowledgedThrough)
        } catch {
            logger.error("cannot read the state store for the new configuration: \(error)")
            return .rejected("reload failed: cannot read the state store: \(error)")
        }
    }

    /// Tells the service manager (STATUS=, and READY=1 with `ready`) and `optoutd status`
    /// (through the store's lock file) how the daemon is doing.
    func report(_ state: DaemonState, ready: Bool = false) {
        let line = statusLine(state)
        if ready { notifier.ready(status: line) } else { notifier.status(line) }
        lock?.record(status: line)
    }

    /// The STATUS= line: what is watched and what is next (and why a reload was rejected,
    /// or why nothing is delivered).
    func statusLine(_ state: DaemonState) -> String {
        let scheduler = state.scheduler
        let configuration = scheduler.configuration
        var text =
            "\(counted(configuration.accounts.count, "account")), \(counted(configuration.catalog.policies.count, "policy", "policies")), \(counted(scheduler.pendingPairCount, "pending pair"))"
        if let trouble = state.storeTrouble { return text + "; " + trouble.summary }
        let now = clock()
        if let next = scheduler.upcoming(from: now),
            let account = scheduler.account(next.pair.account)
        {
            let when = next.at <= now ? "now" : account.zone.rfc3339(next.at)
            text += "; next: \(next.event.rawValue) for \(next.pair.account) (\(next.pair.policy)) at \(when)"
        } else {
            text += "; nothing scheduled"
        }
        // What waits to be delivered, as `optoutd status` counts it: a channel that keeps
        // failing shows in `systemctl status` too. (A partial index holds only those.)
        if let waiting = try? store.waitingSummary(), !waiting.isEmpty {
            let count = waiting.reduce(0) { $0 + $1.count }
            text +=
                "; outbox: \(count) waiting for \(waiting.count == 1 ? waiting[0].target : "\(waiting.count) targets")"
        }
        if let rejection = state.rejection { text += "; \(rejection)" }
        return text
    }
}
