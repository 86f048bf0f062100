import NIOCore

/// The server's open connections, which it keeps to at most `limit`, and the idle timer of a
/// socket-activated server.
///
/// When a connection comes while all places are taken, one that sends nothing makes room
/// for it, the one idle the longest: idle connections never lock real requests out. Only
/// when none is idle does one still sending its request make room (the longest at it: a
/// real request is sent within moments, one dragged out is most likely an attack), and
/// only when every connection is being answered is the new one closed.
///
/// Unsafe, fenced: `@unchecked Sendable` because swift-nio hands it to channel initializers,
/// which are `@Sendable`; every method checks that it runs on the server's one event loop,
/// where all its state lives.
final class ConnectionRoster: @unchecked Sendable {
    private struct Entry {
        let channel: any Channel
        var state: State
        /// When it entered its state.
        var since: NIODeadline
    }

    /// Where a connection is between requests; the order is the order of eviction.
    private enum State: Comparable {
        /// Nothing received since it opened or since its last answer.
        case idle
        /// Bytes of a request have come, but not the whole request.
        case receiving
        /// Its request is with the site, or its answer being written: never evicted.
        case answering
    }

    let limit: Int
    private let eventLoop: any EventLoop
    private var entries: [ObjectIdentifier: Entry] = [:]
    /// With socket activation: how long without connections before `onIdle`.
    private let idleExit: TimeAmount?
    private var idleTimer: Scheduled<Void>?
    private let onIdle: @Sendable () -> Void
    /// The server is stopping: no connection is kept open after its answer.
    private(set) var isStopping = false
    /// Completed once the last connection has closed, while stopping.
    private var drained: EventLoopPromise<Void>?

    init(limit: Int, eventLoop: any EventLoop, idleExit: TimeAmount?, onIdle: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.eventLoop = eventLoop
        self.idleExit = idleExit
        self.onIdle = onIdle
    }

    /// Starts the idle timer before the first connection.
    func start() {
        eventLoop.preconditionInEventLoop()
        armIdleTimer()
    }

    /// Takes `channel` in, making room when full; `false` when it must be closed.
    func admit(_ channel: any Channel) -> Bool {
        eventLoop.preconditionInEventLoop()
        if entries.count >= limit {
            guard
                let evicted = entries.filter({ $0.value.state != .answering }).min(by: {
                    ($0.value.state, $0.value.since) < ($1.value.state, $1.value.since)
                })
            else { return false }
            entries[evicted.key] = nil
            evicted.value.channel.close(promise: nil)
        }
        entries[ObjectIdentifier(channel)] = Entry(channel: channel, state: .idle, since: .now())
        idleTimer?.cancel()
        idleTimer = nil
        return true
    }

    /// Bytes have come: from idle, the connection is sending a request.
    func markReceiving(_ channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        if entries[ObjectIdentifier(channel)]?.state == .idle { set(channel, .receiving) }
    }

    func markAnswering(_ channel: any Channel) {
        set(channel, .answering)
    }

    func markIdle(_ channel: any Channel) {
        set(channel, .idle)
    }

    private func set(_ channel: any Channel, _ state: State) {
        eventLoop.preconditionInEventLoop()
        entries[ObjectIdentifier(channel)]?.state = state
        entries[ObjectIdentifier(channel)]?.since = .now()
    }

    func remove(_ channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        entries[ObjectIdentifier(channel)] = nil
        guard entries.isEmpty else { return }
        if let drained {
            drained.succeed()
            self.drained = nil
        } else if !isStopping {
            armIdleTimer()
        }
    }

    /// Ends the connections of a server that has stopped accepting new ones: the idle ones
    /// at once, the others once their request is answered, and whatever is left after
    /// `limit`. The future completes when none is left.
    func drain(within limit: TimeAmount) -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        isStopping = true
        idleTimer?.cancel()
        idleTimer = nil
        guard !entries.isEmpty else { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        drained = promise
        for entry in entries.values where entry.state == .idle { entry.channel.close(promise: nil) }
        eventLoop.assumeIsolated().scheduleTask(in: limit) { [self] in
            for entry in entries.values { entry.channel.close(promise: nil) }
        }
        return promise.futureResult
    }

    private func armIdleTimer() {
        guard let idleExit, idleTimer == nil else { return }
        let onIdle = onIdle
        idleTimer = eventLoop.scheduleTask(in: idleExit) { onIdle() }
    }
}
