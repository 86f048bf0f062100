#if canImport(Glibc)
    import Glibc
#endif

/// The messages for the service manager that wait to be sent, in order, between the
/// threads that hand them over and the one thread that sends them.
///
/// The manager reads them from a datagram socket whose queue is short. When it does not
/// read (a manager that is stalled, or a supervisor that sets `NOTIFY_SOCKET` and never
/// reads), the queue fills and a send waits until there is room. The sender waits then,
/// nobody else: meanwhile a newer message replaces one it makes stale, so that what waits
/// stays a handful of messages however long the wait.
///
/// `@unchecked Sendable`: `waiting` and `inFlight` are read and changed only with `mutex`
/// held, and the condition variable is pthread's own (a `Mutex` cannot be waited on).
final class ServiceMessageQueue: @unchecked Sendable {
    /// One `sd_notify` datagram, and what it tells the manager.
    struct Message: Equatable, Sendable {
        enum Kind: Equatable, Sendable {
            case ready, reloading, stopping, status, watchdog
        }
        let kind: Kind
        let text: String
    }

    private var waiting: [Message] = []
    /// Whether the sender took a message and has not said it is sent.
    private var inFlight = false
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        // Timed waits count on the monotonic clock: setting the wall clock must not stretch them.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(changed, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    /// Adds `message` behind the others, or lets it take the place of what it makes stale:
    /// - a status, or a READY (which carries one), replaces a status waiting last;
    /// - a watchdog ping waiting already is enough;
    /// - a reload begun while another waits unannounced joins it: the manager is told of one
    ///   reload (begun when the first began), which ends with the latest READY.
    func push(_ message: Message) {
        locked {
            switch message.kind {
            case .watchdog where waiting.contains(where: { $0.kind == .watchdog }):
                return
            case .status where waiting.last?.kind == .status, .ready where waiting.last?.kind == .status:
                waiting[waiting.count - 1] = message
            case .reloading:
                if let begun = waiting.firstIndex(where: { $0.kind == .reloading }) {
                    waiting.removeSubrange((begun + 1)...)
                } else {
                    waiting.append(message)
                }
            default:
                waiting.append(message)
            }
        }
        pthread_cond_broadcast(changed)
    }

    /// For the sender: says the message taken before is sent, then waits for the next one.
    func next() -> Message {
        pthread_mutex_lock(mutex)
        inFlight = false
        pthread_cond_broadcast(changed)
        while waiting.isEmpty {
            pthread_cond_wait(changed, mutex)
        }
        let message = waiting.removeFirst()
        inFlight = true
        pthread_mutex_unlock(mutex)
        return message
    }

    /// Waits until everything pushed so far is sent, for at most `limit`; whether it was.
    func waitUntilSent(within limit: Duration) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(limit.components.attoseconds / 1_000_000_000)
        var deadline = timespec(
            tv_sec: now.tv_sec + Int(limit.components.seconds) + nanoseconds / 1_000_000_000,
            tv_nsec: nanoseconds % 1_000_000_000)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !waiting.isEmpty || inFlight {
            if pthread_cond_timedwait(changed, mutex, &deadline) == ETIMEDOUT { break }
        }
        return waiting.isEmpty && !inFlight
    }

    /// What waits to be sent, oldest first (the message being sent is not among them).
    var waitingMessages: [Message] { locked { waiting } }

    private func locked<Value>(_ body: () -> Value) -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
