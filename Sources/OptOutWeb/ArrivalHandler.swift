import NIOCore

/// Tells the roster when bytes come in on a connection, before they are parsed: one that is
/// sending a request is not closed to make room while connections that send nothing remain.
final class ArrivalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let roster: ConnectionRoster

    init(roster: ConnectionRoster) {
        self.roster = roster
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        roster.markReceiving(context.channel)
        context.fireChannelRead(data)
    }
}
