import NIOCore
import NIOHTTP1
import NIOPosix

/// One connection's requests: read each whole within the limits, hand it to the site on the
/// thread pool, write the answer with the headers every answer carries.
///
/// A connection has `requestTimeout` from its start, or from the end of its last answer,
/// to send a whole request; a client sending a byte now and then gets no longer.
final class RequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBody = 16 * 1024
    static let requestTimeout = TimeAmount.seconds(10)

    private let sites: CurrentSite
    private let pool: NIOThreadPool
    private let roster: ConnectionRoster
    private let commonHeaders: [(String, String)]
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// An answer was given before the request ended (it was too large): the rest is ignored.
    private var refused = false
    private var deadline: Scheduled<Void>?
    /// A request is with the site, and its answer is not written yet.
    private var isAnswering = false
    /// The client has closed its side: the connection ends once the answers are out.
    private var isInputClosed = false
    private var lastWrite: EventLoopFuture<Void>?

    init(sites: CurrentSite, pool: NIOThreadPool, roster: ConnectionRoster, commonHeaders: [(String, String)]) {
        self.sites = sites
        self.pool = pool
        self.roster = roster
        self.commonHeaders = commonHeaders
    }

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        roster.remove(context.channel)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? ChannelEvent, event == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        isInputClosed = true
        guard !isAnswering else { return }  // `write` closes after the answer
        if let lastWrite {
            lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > Self.maximumBody {
                refuse(context, version: head.version)
            } else if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                // The client waits for this before it sends the body (curl for a second).
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var buffer):
            guard !refused else { return }
            guard body.count + buffer.readableBytes <= Self.maximumBody else {
                refuse(context, version: head?.version ?? .http1_1)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard !refused, let head else { return }
            self.head = nil
            deadline?.cancel()
            roster.markAnswering(context.channel)
            isAnswering = true
            // HTTP/1.1 asks for one Host, and a server that answers without it invites
            // proxies and caches to disagree about what was asked.
            if head.version == .http1_1, head.headers["host"].count != 1 {
                write(
                    .text(.badRequest, "A request needs one Host header.\n"), context: context, version: head.version,
                    keepAlive: false)
                return
            }
            let request = WebRequest(
                method: head.method, path: Self.path(of: head.uri), headers: head.headers, body: body)
            body = []
            let site = sites.site
            pool.runIfActive(eventLoop: context.eventLoop) { site.respond(to: request) }
                .assumeIsolated().whenComplete { result in
                    let response =
                        (try? result.get()) ?? .text(.serviceUnavailable, "optoutd serve is stopping\n")
                    // After CONNECT the client would send a tunnel's bytes, not requests.
                    self.write(
                        response, context: context, version: head.version,
                        keepAlive: head.isKeepAlive && head.method != .CONNECT, withBody: head.method != .HEAD)
                }
        }
    }

    /// The path a request asks for, without its query; from an absolute-form target
    /// (`http://host/c/TOKEN`, as a proxy may send it), the part after its authority.
    static func path(of target: String) -> String {
        var path = Substring(target)
        if let scheme = path.range(of: "://"), path[..<scheme.lowerBound].allSatisfy(\.isLetter) {
            let authority = path[scheme.upperBound...]
            path = authority.firstIndex(of: "/").map { authority[$0...] } ?? "/"
        }
        return String(path[..<(path.firstIndex(of: "?") ?? path.endIndex)])
    }

    /// Answers 413 at once and closes: a body over the limit is never read.
    private func refuse(_ context: ChannelHandlerContext, version: HTTPVersion) {
        refused = true
        deadline?.cancel()
        write(
            .text(.payloadTooLarge, "A request body may hold at most \(Self.maximumBody / 1024) KB.\n"),
            context: context, version: version, keepAlive: false)
    }

    /// Writes `response`; without its body (its length still said) when `withBody` is false.
    private func write(
        _ response: WebResponse, context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool,
        withBody: Bool = true
    ) {
        isAnswering = false
        guard context.channel.isActive else { return }
        let keepAlive = keepAlive && !isInputClosed && !roster.isStopping
        var headers = HTTPHeaders(commonHeaders)
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))),
            promise: nil)
        if withBody {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        lastWrite = written
        if keepAlive {
            roster.markIdle(context.channel)
            armDeadline(context)
        } else {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func armDeadline(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: Self.requestTimeout) {
            context.close(promise: nil)
        }
    }
}
