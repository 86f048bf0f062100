import ArgumentParser
import Logging
import OptOutCore
import OptOutDaemon
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground (systemd Type=notify).",
        discussion: """
            Sleeps until a notice is due, writes it to the journal, and remembers it in the state
            store. SIGHUP reloads the configuration (a rejected one leaves the running one in
            force); SIGTERM and SIGINT stop it. With --once, delivers what is due now and exits.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    @Flag(help: "Deliver what is due now, then exit.")
    var once = false

    func run() async throws {
        LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
        let logger = Logger(label: "optoutd")
        let configuration = try options.load(now: currentInstant())
        try state.createDirectory()
        let store = try StateStore(path: state.path)
        let daemon = Daemon(
            settings: DaemonSettings(configPath: options.path, statePath: state.path), configuration: configuration,
            store: store, logger: logger, clock: currentInstant)
        if once {
            try await daemon.runOnce()
            return
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [daemon], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
