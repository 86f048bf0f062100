import ArgumentParser
import Foundation
import Logging
import NIOCore
import OptOutCore
import OptOutDaemon
import OptOutWeb

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the pages where people confirm their opt-outs (BASE_URL/c/TOKEN).",
        discussion: """
            HTTP/1.1 for a reverse proxy that adds TLS. Adopts the socket systemd passes \
            (optoutd-web.socket) and then exits after --idle-exit without connections; otherwise \
            binds --listen. Needs web: in the configuration and the daemon's state store, where \
            confirmations are recorded (source link) for the running daemon to act on. Also \
            answers GET /healthz and GET /metrics (Prometheus). SIGHUP loads the configuration \
            again; one with errors is logged, and the pages keep the one they have.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    @Option(help: "Where to listen when systemd passes no socket (HOST:PORT).")
    var listen = WebServer.defaultListen

    @Option(help: "Exit after this long without connections when socket-activated (such as 30s, 5min, 1h).")
    var idleExit = "5min"

    func validate() throws {
        guard Self.seconds(idleExit) != nil else {
            throw ValidationError(
                "--idle-exit \(TerminalText.quoted(idleExit)) is not a duration from 1s to 24h, such as 30s, 5min or 1h"
            )
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
        let logger = Logger(label: "optoutd-web")
        let configuration = try Self.servedConfiguration(options)
        try state.requireStore()
        let store = try state.open(.readWrite(create: false))
        let site = try Self.site(for: configuration, state: state, store: store, logger: logger)
        let notifier = ServiceNotifier()
        let (options, state) = (options, state)
        let server = WebServer(site: site, logger: logger) {
            notifier.reloading()
            return Self.reloadedSite(options: options, state: state, store: store, logger: logger)
        }
        logger.info("serving confirmation pages for \(configuration.web!.baseURL)")
        try server.run(listen: listen, idleExit: TimeAmount.seconds(Int64(Self.seconds(idleExit)!))) {
            place, rejection in
            notifier.ready(status: "serving on \(place)" + (rejection.map { "; \($0.reason)" } ?? ""))
        } stopping: {
            notifier.stopping()
        }
        if !notifier.waitUntilSent() { logger.warning("\(ServiceNotifier.notReadingWarning)") }
    }

    /// The site for the configuration as its file has it now, or why it cannot take over
    /// (logged as `run` logs a rejected reload).
    static func reloadedSite(
        options: ConfigOptions, state: StateOptions, store: StateStore, logger: Logger
    ) -> Result<ConfirmationSite, ConfigurationReload.Rejection> {
        let configuration: Configuration
        switch ConfigurationReload.load(path: options.path, now: currentInstant(), logger: logger) {
        case .success(let loaded): configuration = loaded
        case .failure(let rejection): return .failure(rejection)
        }
        do {
            guard
                let links = try ConfirmationLinks.load(
                    for: configuration, credentials: Credentials(), statePath: state.path)
            else { throw ConfigurationReload.Rejection("serve needs a web: section with base_url") }
            logger.notice("configuration reloaded: serving for \(configuration.web!.baseURL)")
            return .success(
                ConfirmationSite(
                    configuration: configuration, links: links, store: store, logger: logger, clock: currentInstant))
        } catch {
            return .failure(
                ConfigurationReload.reject(["\(error)"], summary: "reload rejected: \(error)", logger: logger))
        }
    }

    /// The configuration as its file has it now, if it has `web:`; else (having said why
    /// on standard error) throws.
    static func servedConfiguration(_ options: ConfigOptions) throws -> Configuration {
        let configuration = try options.load(now: currentInstant())
        guard configuration.web != nil else {
            standardError("optoutd: \(options.shownPath): serve needs a web: section with base_url")
            throw ExitCode.invalidConfiguration
        }
        return configuration
    }

    static func site(
        for configuration: Configuration, state: StateOptions, store: StateStore, logger: Logger
    ) throws -> ConfirmationSite {
        ConfirmationSite(
            configuration: configuration, links: try loadLinks(configuration, state: state)!, store: store,
            logger: logger, clock: currentInstant)
    }

    /// `30s`, `5min`, `5m`, `1h`: whole seconds from 1 to a day.
    static func seconds(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6, let count = Int(digits) else { return nil }
        let unit: Int? =
            switch text.dropFirst(digits.count) {
            case "s": 1
            case "m", "min": 60
            case "h": 3600
            default: nil
            }
        guard let unit, (1...86_400).contains(count * unit) else { return nil }
        return count * unit
    }
}

/// The configuration's link maker, its key read (or made) beside the store; a key that
/// cannot be had ends the command with the reason.
func loadLinks(_ configuration: Configuration, state: StateOptions) throws -> ConfirmationLinks? {
    do {
        return try ConfirmationLinks.load(for: configuration, credentials: Credentials(), statePath: state.path)
    } catch {
        standardError("optoutd: \(error)")
        throw ExitCode.failure
    }
}
