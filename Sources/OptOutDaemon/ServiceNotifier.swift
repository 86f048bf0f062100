import CSystemd
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Tells the service manager how the daemon is doing, over `$NOTIFY_SOCKET` (`sd_notify`).
///
/// Without a notification socket (not started by systemd) every call does nothing.
public struct ServiceNotifier: Sendable {
    public init() {}

    /// How often the manager expects WATCHDOG=1 (`WatchdogSec=`), if it does.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    /// Configuration and state are loaded: the service is up.
    public func ready(status: String) {
        send(["READY": "1", "STATUS": status])
    }

    public func status(_ status: String) {
        send(["STATUS": status])
    }

    /// A reload has begun; `ready(status:)` ends it.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send(["RELOADING": "1", "MONOTONIC_USEC": String(microseconds)])
    }

    public func stopping() {
        send(["STOPPING": "1"])
    }

    public func watchdog() {
        send(["WATCHDOG": "1"])
    }

    /// Sends `NAME=value` lines; a value cannot break a line (control characters become
    /// spaces, looked for as scalars: "\r\n" is one Character).
    private func send(_ assignments: KeyValuePairs<String, String>) {
        let lines = assignments.map { name, value in
            name + "="
                + String(
                    String.UnicodeScalarView(
                        value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        }
        _ = sd_notify(0, lines.joined(separator: "\n"))
    }
}
