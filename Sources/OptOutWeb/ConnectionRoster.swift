import NIOCore

/// The server's open connections, which it keeps to at most `limit`, and the idle timer of a
/// socket-activated server.
///
/// When a connection comes while all places are taken, the one idle the longest makes room
/// for it: idle connections never lock real requests out. Only when every connection is
/// busy is the new one closed.
///
/// Unsafe, fenced: `@unchecked Sendable` because swift-nio hands it to channel initializers,
/// which are `@Sendable`; every method checks that it runs on the server's one event loop,
/// where all its state lives.
final class ConnectionRoster: @unchecked Sendable {
    private struct Entry {
        let channel: any Channel
        var busy: Bool
        var idleSince: NIODeadline
    }

    let limit: Int
    private let eventLoop: any EventLoop
    private var entries: [ObjectIdentifier: Entry] = [:]
    /// With socket activation: how long without connections before `onIdle`.
    private let idleExit: TimeAmount?
    private var idleTimer: Scheduled<Void>?
    private let onIdle: @Sendable () -> Void

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
            guard let oldest = entries.filter({ !$0.value.busy }).min(by: { $0.value.idleSince < $1.value.idleSince })
            else { return false }
            entries[oldest.key] = nil
            oldest.value.channel.close(promise: nil)
        }
        entries[ObjectIdentifier(channel)] = Entry(channel: channel, busy: false, idleSince: .now())
        idleTimer?.cancel()
        idleTimer = nil
        return true
    }

    func markBusy(_ channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        entries[ObjectIdentifier(channel)]?.busy = true
    }

    func markIdle(_ channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        entries[ObjectIdentifier(channel)]?.busy = false
        entries[ObjectIdentifier(channel)]?.idleSince = .now()
    }

    func remove(_ channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        entries[ObjectIdentifier(channel)] = nil
        if entries.isEmpty { armIdleTimer() }
    }

    private func armIdleTimer() {
        guard let idleExit, idleTimer == nil else { return }
        let onIdle = onIdle
        idleTimer = eventLoop.scheduleTask(in: idleExit) { onIdle() }
    }
}
