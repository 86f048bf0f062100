import CLinux
import CSystemd
import Foundation
import OptOutCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Why the daemon woke up.
public enum WakeUp: Sendable, Equatable {
    /// The time asked for with `schedule(at:)` has come.
    case due
    /// The wall clock was set (or jumped): times must be looked at again.
    case clockChanged
    /// `optoutd ack` recorded something.
    case acknowledged
    /// Time to tell the manager the loop is alive.
    case watchdog
    /// SIGHUP (with `relayingSignals`): load the configuration again.
    case reload
    /// A configuration loaded beside the loop is ready to take over (or was rejected).
    case reloaded
    /// A channel's drain of the outbox ended.
    case delivered(channel: String, outcome: Outbox.Outcome)
    /// The privacy team's summary was sent (or could not be: `sent` is false).
    case reported(sent: Bool)
}

/// The one place the daemon sleeps: a thread in `poll(2)` on a real-time timer that is
/// cancelled when the clock is set (`TFD_TIMER_CANCEL_ON_SET`), an inotify watch for
/// acknowledgements, and an eventfd for requests from other tasks and for signals. It wakes
/// for nothing else.
public final class WakeUpSource: Sendable {
    public let events: AsyncStream<WakeUp>
    private let continuation: AsyncStream<WakeUp>.Continuation
    private let timer: Int32
    private let inotify: Int32
    private let requests: Int32
    private let watchedName: String
    private let watchdogInterval: Duration?
    /// Wake-ups posted by other tasks, and whether the loop is to end.
    private let requested = Mutex<(posted: [WakeUp], finished: Bool)>(([], false))

    /// - Parameters:
    ///   - triggerFile: a file whose writes mean "look for acknowledgements"; its directory is watched.
    ///   - watchdogInterval: emit `.watchdog` this often (half of `WatchdogSec=`), or never.
    ///   - relayingSignals: handle SIGHUP (`.reload`), and SIGTERM and SIGINT (`finish()`),
    ///     for the life of the process.
    public init(triggerFile: String, watchdogInterval: Duration?, relayingSignals: Bool = false) throws {
        (events, continuation) = AsyncStream.makeStream(of: WakeUp.self, bufferingPolicy: .unbounded)
        self.watchdogInterval = watchdogInterval
        timer = timerfd_create(CLOCK_REALTIME, Int32(TFD_CLOEXEC | TFD_NONBLOCK))
        inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        requests = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard timer >= 0, inotify >= 0, requests >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let directory = (triggerFile as NSString).deletingLastPathComponent
        watchedName = (triggerFile as NSString).lastPathComponent
        guard
            inotify_add_watch(
                inotify, directory.isEmpty ? "." : directory, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB)) >= 0
        else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        schedule(at: nil)
        if relayingSignals { SignalRelay.install(writingTo: requests) }
        let thread = Thread { [self] in
            nameThisThread("optoutd-wakeups")
            self.loop()
        }
        thread.start()
    }

    deinit {
        close(timer)
        close(inotify)
        close(requests)
    }

    /// Sleep until `instant` (or, with `nil`, until something else happens).
    ///
    /// With nothing to wait for, the timer is disarmed: any instant standing in for "never"
    /// would one day come (a 32-bit one in 2038) and then wake the loop for nothing, again
    /// and again. A disarmed timer also misses clock changes, which matter only to something
    /// scheduled.
    public func schedule(at instant: Instant?) {
        // A zero it_value disarms; an armed one must not be zero, so the past is one second in.
        let seconds = instant.map { max($0.secondsSince1970, 1) } ?? 0
        var spec = itimerspec(it_interval: timespec(), it_value: timespec(tv_sec: seconds, tv_nsec: 0))
        timerfd_settime(timer, Int32(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET), &spec, nil)
    }

    /// Wakes the loop with `reason` (from a signal handler task, for example).
    public func post(_ reason: WakeUp) {
        requested.withLock { $0.posted.append(reason) }
        var one: UInt64 = 1
        _ = write(requests, &one, 8)
    }

    /// Whether `finish()` was called: the daemon is stopping.
    public var isFinished: Bool { requested.withLock { $0.finished } }

    /// Ends `events`; the thread exits.
    public func finish() {
        requested.withLock { $0.finished = true }
        var one: UInt64 = 1
        _ = write(requests, &one, 8)
    }

    private func loop() {
        var fds = [
            pollfd(fd: timer, events: Int16(POLLIN), revents: 0),
            pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
            pollfd(fd: requests, events: Int16(POLLIN), revents: 0),
        ]
        // The watchdog is due by the clock, not only when nothing else happens: a long burst
        // of wake-ups must not starve it.
        var nextWatchdog = watchdogInterval.map { ContinuousClock.now + $0 }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var timeout: Int32 = -1
            if let nextWatchdog {
                let left = max(nextWatchdog - ContinuousClock.now, .zero)
                timeout = Int32(
                    clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if let due = nextWatchdog, let interval = watchdogInterval, ContinuousClock.now >= due {
                continuation.yield(.watchdog)
                nextWatchdog = ContinuousClock.now + interval
            }
            if ready == 0 { continue }
            if fds[0].revents != 0 {
                var expirations: UInt64 = 0
                if read(timer, &expirations, 8) < 0 && errno == ECANCELED {
                    continuation.yield(.clockChanged)  // the daemon looks again and re-arms it
                } else {
                    continuation.yield(.due)
                }
            }
            if fds[1].revents != 0 {
                let count = read(inotify, &buffer, buffer.count)
                if count > 0, Self.names(in: buffer[..<count]).contains(watchedName) {
                    continuation.yield(.acknowledged)
                }
            }
            if fds[2].revents != 0 {
                var value: UInt64 = 0
                _ = read(requests, &value, 8)
                let signals = SignalRelay.take()
                let (reasons, done) = requested.withLock { state -> ([WakeUp], Bool) in
                    defer { state.posted.removeAll() }
                    if signals.contains(SIGTERM) || signals.contains(SIGINT) { state.finished = true }
                    return (state.posted, state.finished)
                }
                reasons.forEach { continuation.yield($0) }
                if done { break }
                if signals.contains(SIGHUP) { continuation.yield(.reload) }
            }
        }
        continuation.finish()
    }

    /// The file names in a buffer of `struct inotify_event`s.
    private static func names(in events: ArraySlice<UInt8>) -> [String] {
        var names: [String] = []
        var offset = events.startIndex
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= events.endIndex {
            let length = events.withUnsafeBytes { raw in
                raw.loadUnaligned(fromByteOffset: offset - events.startIndex + 12, as: UInt32.self)
            }
            let nameStart = offset + header
            let nameEnd = min(nameStart + Int(length), events.endIndex)
            names.append(String(decoding: events[nameStart..<nameEnd].prefix { $0 != 0 }, as: UTF8.self))
            offset = nameEnd
        }
        return names
    }
}
