import ArgumentParser
import OptOutConfig
import OptOutCore
import OptOutDaemon
import OptOutRender

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what will be sent, when and to whom.",
        discussion: """
            Every notification from --now for --days days, as the daemon would send them if it ran \
            throughout: first what is due at once (pairs seen for the first time, the latest missed \
            notice of a pair), then each scheduled one. Reads the configuration and the state store \
            (when there is one); writes nothing.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    @Option(help: "Start from this time (ISO 8601, such as 2025-10-27T09:00:00+01:00 or 2025-10-27); default: now.")
    var now: String?

    @Option(parsing: .unconditional, help: "How many days ahead to show (0 to 3660).")
    var days: Int = 90

    @Option(help: "Only this account.")
    var account: String?

    @Option(help: "table, json or ics (one calendar event per pending deadline still ahead).")
    var format: ReportFormat = .table

    @Flag(help: "With --format ics, also the deadlines that have passed.")
    var includePast = false

    func validate() throws {
        let range = ConfigurationLimits.planDays
        guard days >= range.lowerBound else {
            throw ValidationError("--days must be zero or more: a plan looks ahead from --now, never back")
        }
        guard days <= range.upperBound else {
            throw ValidationError("--days must be at most \(range.upperBound) (ten years ahead)")
        }
        if includePast, format != .ics { throw ValidationError("--include-past works only with --format ics") }
    }

    func run() throws {
        let clock = currentInstant()
        var configuration = try options.load(now: clock)
        let start = try now.map { try commandLineInstant($0, "--now", zone: configuration.defaultZone) } ?? clock
        if let account {
            guard configuration.keepOnlyAccount(account) else {
                standardError("optoutd: \(configuration.unknownAccountMessage(account))")
                throw ExitCode.dataError
            }
        }
        // What the daemon remembers (first sightings, what was sent, acknowledgements), if there is a store.
        var histories: [PairKey: PairHistory] = [:]
        var acknowledged: [String: Set<String>] = [:]
        if try state.exists {
            let store = try state.open(.readOnly)
            histories = try store.histories()
            acknowledged = try store.acknowledgedActions(in: configuration)
        }
        var scheduler = Scheduler(
            configuration: configuration, histories: histories, acknowledged: acknowledged, parallel: ThreadedMap())
        switch format {
        case .table, .json:
            // Rows are printed beside the simulation, on the second core where there is one.
            let printer = PlanPrinter(
                format: format == .json ? .json : .table, configuration: configuration,
                pendingActionLists: scheduler.pendingActionLists)
            // Not past the years a time is shown in with four digits.
            let horizon = min(start.adding(seconds: days * 86_400), ConfigurationLimits.latestInstant)
            scheduler.simulate(from: start, until: horizon) {
                printer.print($0)
            }
            printer.finish()
        case .ics:
            var events: [DeadlineCalendar.Event] = []
            for account in configuration.accounts {
                let today = account.zone.localDate(of: start)
                for index in configuration.catalog.policyIndices(platform: account.platform) {
                    let policy = configuration.catalog.policies[index]
                    guard includePast || policy.deadline > today,
                        let pending = scheduler.pendingActions(PairKey(account: account.id, policy: policy.id)),
                        !pending.isEmpty
                    else { continue }
                    events.append(Self.event(account: account, policy: policy, pending: pending))
                }
            }
            standardOutput(DeadlineCalendar.text(events, name: "Opt-out deadlines", stamp: clock))
        }
        OneShotMemory.exit()
    }

    /// A pair's deadline as a calendar event, with its steps and the first step's link.
    static func event(account: Account, policy: Policy, pending: [PolicyAction]) -> DeadlineCalendar.Event {
        let who = account.name.map { "\($0) (\(account.id))" } ?? account.id
        var description = "\(policy.title). Opt out before \(policy.deadline) in \(account.zone.identifier).\n"
        for action in pending {
            description += "- \(action.title): \(action.location)\(action.url.map { " \($0)" } ?? "")\n"
        }
        return DeadlineCalendar.Event(
            uid: "\(account.id)/\(policy.id)@optoutd", deadline: policy.deadline,
            summary: "Last day to opt out: \(policy.title) for \(who)", description: description,
            url: pending.lazy.compactMap(\.url).first, category: account.platform)
    }
}
