import Crypto
import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import OptOutDaemon
import OptOutRender

#if canImport(Glibc)
    import Glibc
#endif

/// `optoutd serve`: HTTP/1.1 on swift-nio's event loop, one thread for the connections and
/// a small pool for the store. It adopts the socket systemd passes (and then exits after
/// `idleExit` without connections, so that nothing runs between visits), or binds
/// `listen` itself.
public struct WebServer: Sendable {
    public static let defaultListen = "127.0.0.1:8470"
    /// More connections than this share the places: the longest idle one is closed first.
    public static let connectionLimit = 64
    /// The request line and headers together.
    static let headerLimit = 8 * 1024

    let site: ConfirmationSite
    let logger: Logger
    let reload: @Sendable () -> Result<ConfirmationSite, ConfigurationReload.Rejection>

    /// - Parameter reload: on SIGHUP, the site made from the configuration loaded again, or
    ///   why that was rejected (and logged): the pages then keep the site they have.
    public init(
        site: ConfirmationSite, logger: Logger,
        reload: @escaping @Sendable () -> Result<ConfirmationSite, ConfigurationReload.Rejection>
    ) {
        self.site = site
        self.logger = logger
        self.reload = reload
    }

    /// Every answer carries these: nothing may load from elsewhere, be framed, leak the
    /// link in a Referer to another site or stay in a cache. (`same-origin` rather than
    /// `no-referrer`: with the latter, browsers send the page's own form with `Origin: null`,
    /// which only `Sec-Fetch-Site` could tell from a form elsewhere, and browsers send that
    /// to secure origins alone.)
    static var commonHeaders: [(String, String)] {
        let styleHash = Data(SHA256.hash(data: Array(ConfirmationPages.style.utf8))).base64EncodedString()
        return [
            (
                "Content-Security-Policy",
                "default-src 'none'; style-src 'sha256-\(styleHash)'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            ),
            ("Referrer-Policy", "same-origin"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Cache-Control", "no-store"),
        ]
    }

    /// Serves until SIGTERM or SIGINT, or until idle when socket-activated; SIGHUP loads the
    /// configuration again.
    ///
    /// - Parameters:
    ///   - listen: `HOST:PORT` to bind when systemd passed no socket.
    ///   - ready: called once the socket accepts connections, with where it listens, and
    ///     again when a reload is over, with why it was rejected if it was.
    ///   - stopping: called once, when the server begins to stop.
    public func run(
        listen: String, idleExit: TimeAmount,
        ready: @escaping @Sendable (_ place: String, _ rejection: ConfigurationReload.Rejection?) -> Void,
        stopping: @escaping @Sendable () -> Void
    ) throws {
        let passed = try SocketActivation.passedSocket()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        defer {
            // The pool first: the work it still runs hands its answer to the event loop.
            try? pool.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
        }
        let eventLoop = group.next()
        let serverChannel = NIOLockedValueBox<(any Channel)?>(nil)
        let isStopping = NIOLockedValueBox(false)
        let stop: @Sendable () -> Void = {
            let first = isStopping.withLockedValue { stopping in
                defer { stopping = true }
                return !stopping
            }
            guard first else { return }
            stopping()
            serverChannel.withLockedValue { $0 }?.close(promise: nil)
        }
        let roster = ConnectionRoster(
            limit: Self.connectionLimit, eventLoop: eventLoop, idleExit: passed == nil ? nil : idleExit,
            onIdle: { [logger] in
                logger.info("no connections for a while: exiting until systemd passes the next one")
                stop()
            })
        let limits = {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderListSize = Self.headerLimit
            limits.maxHeaderFieldSize = Self.headerLimit
            limits.maxHeaderFieldCount = 100
            return limits
        }()
        let sites = CurrentSite(site)
        let headers = Self.commonHeaders
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard roster.admit(channel) else {
                        channel.close(promise: nil)
                        return
                    }
                    try channel.pipeline.syncOperations.addHandler(ArrivalHandler(roster: roster))
                    // Reading stops while answers wait to be written: a client that sends
                    // request after request and reads nothing cannot pile answers up in memory.
                    try channel.pipeline.syncOperations.addHandler(BackPressureHandler())
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withErrorHandling: false, withEncoderConfiguration: .init(),
                        withDecoderLimitConfiguration: limits)
                    try channel.pipeline.syncOperations.addHandlers(
                        BadRequestHandler(commonHeaders: headers),
                        RequestHandler(sites: sites, pool: pool, roster: roster, commonHeaders: headers))
                }
            }
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            // A client that ends its side after the request (`nc -N`) still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let channel: any Channel
        if let passed {
            channel = try bootstrap.withBoundSocket(passed).wait()
        } else {
            let (host, port) = try Self.address(listen)
            channel = try bootstrap.bind(host: host, port: port).wait()
        }
        serverChannel.withLockedValue { $0 = channel }
        try eventLoop.submit { roster.start() }.wait()
        // A source handles its signals one at a time: a reload is over before the next begins.
        let reload = reload
        let place = passed == nil ? listen : "the socket systemd passed"
        let reloadSite: @Sendable () -> Void = {
            guard !isStopping.withLockedValue({ $0 }) else { return }  // a stopping server loads nothing
            switch reload() {
            case .success(let site):
                sites.replace(with: site)
                ready(place, nil)
            case .failure(let rejection):
                ready(place, rejection)
            }
        }
        let handlers: [(Int32, @Sendable () -> Void)] = [(SIGTERM, stop), (SIGINT, stop), (SIGHUP, reloadSite)]
        let signals = handlers.map { number, handler in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        ready(place, nil)
        try channel.closeFuture.wait()
        // Stopped accepting: what was asked is still answered (and recorded only if it is),
        // within the time a request may take and a store's busy wait.
        try eventLoop.flatSubmit { roster.drain(within: Self.drainLimit) }.wait()
    }

    /// How long a stopping server still answers the requests it has.
    static let drainLimit = TimeAmount.seconds(15)

    /// `HOST:PORT`, with `[…]` around an IPv6 host.
    static func address(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw ListenAddressError(text: text) }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ListenAddressError(text: text) }
        return (host, port)
    }
}

/// `--listen` is not `HOST:PORT`.
public struct ListenAddressError: Error, CustomStringConvertible {
    let text: String
    public var description: String { "--listen '\(text)' is not HOST:PORT, such as 127.0.0.1:8470 or [::1]:8470" }
}
