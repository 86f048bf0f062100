import Foundation
import ArgumentParser
import Logging
import OptOutCore
import OptOutDaemon

struct RunCommand: AsyncParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground (systemd Type=notify).",
        discussion: """
            Sleeps until a notice is due, writes it to the journal, and remembers it in the state \
            store. SIGHUP reloads the configuration (a rejected one leaves the running one in \
            force); SIGTERM and SIGINT stop it. With --once, delivers what is due now and exits.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    @Flag(help: "Deliver what is due now, then exit.")
    var once = false

    /// Stands in for the clock with --once (tests of retries and back-off).
    @Option(help: .hidden)
    var now: String?

    func validate() throws {
        if now != nil && !once { throw ValidationError("--now works only with --once") }
    }

    func run() async throws {
        // A hook that exits without reading its input must not take the daemon down with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // SIGUSR1 and SIGUSR2 mean nothing to optoutd; by default they would end it without
        // a word, its deliveries cut off. (Hooks start with every signal at its default.)
        signal(SIGUSR1, SIG_IGN)
        signal(SIGUSR2, SIG_IGN)
        LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
        let logger = Logger(label: "optoutd")
        let configuration = try options.load(now: currentInstant())
        var clock: @Sendable () -> Instant = currentInstant
        if let now {
            let instant = try commandLineInstant(now, "--now", zone: configuration.defaultZone)
            clock = { instant }
        }
        try state.createDirectory()
        // One instance per store: a second one would deliver everything again.
        let lock: StoreLock
        do {
            lock = try StoreLock(storePath: state.path)
        } catch let held as StoreLock.Held {
            standardError("optoutd: \(held)")
            throw ExitCode.storeInUse
        }
        let store = try state.open(.readWrite(create: true))
        // Run by hand in a terminal (`make run`): show each notice as it is sent.
        var echo: (@Sendable (String) -> Void)?
        if isatty(STDOUT_FILENO) == 1 { echo = { @Sendable line in print(line) } }
        let factory = ChannelFactory(logger: logger, echo: echo, statePath: state.path, store: store, clock: clock)
        let daemon = Daemon(
            settings: DaemonSettings(configPath: options.path, statePath: state.path), configuration: configuration,
            store: store, lock: lock, logger: logger,
            channels: { [factory] in factory.channels(for: $0, links: $1) },
            links: { [factory] in factory.links(for: $0) },
            clock: clock)
        if once {
            try await daemon.runOnce()
            return
        }
        try await daemon.run()
    }
}
