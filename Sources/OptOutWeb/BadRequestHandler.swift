import NIOCore
import NIOHTTP1

/// Answers a request the HTTP decoder cannot read with one `400`, carrying the headers
/// every answer carries, and closes the connection.
///
/// It takes the place of NIOHTTP1's `HTTPServerProtocolErrorHandler`, whose answer has none
/// of those headers. As there, nothing is sent when an answer has already begun, since a
/// second one would be read as part of it.
final class BadRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let commonHeaders: [(String, String)]
    /// An answer's head is written and its end is not.
    private var isAnswering = false
    /// The connection is being closed for a malformed request: later errors add nothing.
    private var isRefusing = false

    init(commonHeaders: [(String, String)]) {
        self.commonHeaders = commonHeaders
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isRefusing else { return }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !isRefusing else { return }
        isRefusing = true
        guard !isAnswering else {
            context.close(promise: nil)
            return
        }
        let body = "The request could not be read.\n"
        var headers = HTTPHeaders(commonHeaders)
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: isAnswering = true
        case .end: isAnswering = false
        default: break
        }
        context.write(data, promise: promise)
    }
}
