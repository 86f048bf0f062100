import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Relays SIGHUP, SIGTERM and SIGINT to a wake-up thread. The handler does only what is safe
/// in a signal handler: it sets the signal's bit and writes to the thread's eventfd. Unlike
/// `signalfd(2)`, this needs no signal blocked in every thread.
public enum SignalRelay {
    static let relayed: [Int32] = [SIGHUP, SIGTERM, SIGINT]
    private static let pending = Atomic<UInt64>(0)
    private static let descriptor = Atomic<Int32>(-1)
    private static let stopRequested = Atomic<Bool>(false)

    /// Handles the relayed signals from now on, waking whoever polls `eventDescriptor`; a
    /// signal taken before (see `holdSignals`) wakes it at once.
    static func install(writingTo eventDescriptor: Int32) {
        holdSignals()
        descriptor.store(eventDescriptor, ordering: .releasing)
        if pending.load(ordering: .acquiring) != 0 {
            var one: UInt64 = 1
            _ = write(eventDescriptor, &one, 8)
        }
    }

    /// Takes the relayed signals from now on, only noting them until `install` says whom to
    /// wake: `run` calls it first, so that a SIGHUP while a large configuration loads is a
    /// reload once it is loaded, not the end of the process.
    public static func holdSignals() {
        // Both atomics are created here, not lazily inside the handler.
        _ = pending.load(ordering: .relaxed)
        _ = descriptor.load(ordering: .relaxed)
        _ = stopRequested.load(ordering: .relaxed)
        for signal in relayed {
            var action = sigaction()
            action.__sigaction_handler = .init(sa_handler: { number in
                let savedErrno = errno
                SignalRelay.pending.bitwiseOr(1 << UInt64(number), ordering: .releasing)
                if number == SIGTERM || number == SIGINT { SignalRelay.stopRequested.store(true, ordering: .releasing) }
                let descriptor = SignalRelay.descriptor.load(ordering: .acquiring)
                if descriptor >= 0 {
                    var one: UInt64 = 1
                    _ = write(descriptor, &one, 8)
                }
                errno = savedErrno
            })
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
        }
    }

    /// Whether a SIGTERM or SIGINT came: a wait that can be cut short asks this, while the
    /// signal itself is on its way to the daemon's loop. Stopping is for good: it is never
    /// taken back.
    static var isStopRequested: Bool { stopRequested.load(ordering: .acquiring) }

    /// The relayed signals received since the last call.
    static func take() -> Set<Int32> {
        let bits = pending.exchange(0, ordering: .acquiring)
        return Set(relayed.filter { bits & (1 << UInt64($0)) != 0 })
    }
}
