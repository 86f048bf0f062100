import CSystemd
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Tells the service manager how the daemon is doing, over `$NOTIFY_SOCKET` (`sd_notify`).
///
/// A call hands its message to one sender thread and returns at once: `sd_notify` waits
/// while the manager's socket is full, and a daemon whose loop waited there would stop
/// delivering, and would not hear SIGTERM. Messages go out in the order they were handed
/// over (see `ServiceMessageQueue` for the stale ones left out while the manager does not
/// read). Without a notification socket (not started by systemd) every call does nothing.
public struct ServiceNotifier: Sendable {
    /// The messages of the process: `$NOTIFY_SOCKET` is the process's, and so is the sender
    /// thread, started with the first message.
    private static let outgoing: ServiceMessageQueue = {
        let queue = ServiceMessageQueue()
        let thread = Thread {
            nameThisThread("optoutd-notify")
            while true {
                _ = sd_notify(0, queue.next().text)
            }
        }
        thread.start()
        return queue
    }()

    private let isConnected: Bool

    public init() {
        isConnected = getenv("NOTIFY_SOCKET") != nil
    }

    /// How often the manager expects WATCHDOG=1 (`WatchdogSec=`), if it does.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    /// Configuration and state are loaded: the service is up.
    public func ready(status: String) {
        send(.ready, ["READY": "1", "STATUS": status])
    }

    public func status(_ status: String) {
        send(.status, ["STATUS": status])
    }

    /// A reload has begun; `ready(status:)` ends it.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send(.reloading, ["RELOADING": "1", "MONOTONIC_USEC": String(microseconds)])
    }

    /// The service has begun to stop.
    public func stopping() {
        send(.stopping, ["STOPPING": "1"])
    }

    /// Waits for the messages handed over to be sent, for at most `limit`, before the
    /// process ends (the manager learns that it ended anyway); returns whether they were.
    public func waitUntilSent(within limit: Duration = .seconds(2)) -> Bool {
        !isConnected || Self.outgoing.waitUntilSent(within: limit)
    }

    /// The warning for a manager that took nothing for a while (see `waitUntilSent`).
    public static let notReadingWarning =
        "the service manager is not reading its notification socket: STOPPING=1 was not sent"

    public func watchdog() {
        send(.watchdog, ["WATCHDOG": "1"])
    }

    /// Hands over `NAME=value` lines; a value cannot break a line (control characters
    /// become spaces, looked for as scalars: "\r\n" is one Character).
    private func send(_ kind: ServiceMessageQueue.Message.Kind, _ assignments: KeyValuePairs<String, String>) {
        guard isConnected else { return }
        let lines = assignments.map { name, value in
            name + "="
                + String(
                    String.UnicodeScalarView(
                        value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        }
        Self.outgoing.push(ServiceMessageQueue.Message(kind: kind, text: lines.joined(separator: "\n")))
    }
}
