import Foundation
import OptOutCore
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension FaultTests {
    /// A service manager that stops reading its notification socket (stalled, or a supervisor
    /// that sets `NOTIFY_SOCKET` and never reads): the socket's short queue fills, and a
    /// send to it waits. The daemon goes on delivering, reloading and stopping all the same.
    @Test func aManagerThatDoesNotReadHoldsUpNeitherNoticesNorReloadsNorStopping() throws {
        let account = fixture.account("stalled")
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: IT}",
            extra: "reminders: {lead_times: [1d], overdue_every: 1h, overdue_max: 3}")
        // Seen 59 min 55 s ago: the first hourly overdue repeat is due in 5 seconds.
        try fixture.seed([(account, "linkedin-genai-training-2025", Instant(Date()).adding(seconds: -3595))])
        let manager = try NotifySocket(reading: false)
        defer { manager.close() }
        // A watchdog ping every 50 ms fills the socket's queue well before the repeat is due.
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": manager.path, "WATCHDOG_USEC": "100000"])
        let notices = try fixture.waitForNotices(timeout: .seconds(15)) { !$0.isEmpty }
        #expect(notices.map { $0["OPTOUT_EVENT"] } == ["overdue"])
        kill(daemon.processIdentifier, SIGHUP)
        #expect(
            wait {
                (try? fixture.entries(["MESSAGE_ID=\(MessageID.reloaded)", "_PID=\(daemon.processIdentifier)"]))?
                    .count == 1
            })
        #expect(daemon.stop(SIGTERM, waitingAtMost: .seconds(15)) == 0)
        try fixture.journalBarrier()
        let warnings = try fixture.entries(["_PID=\(daemon.processIdentifier)", "PRIORITY=4"]).compactMap {
            $0["MESSAGE"]
        }
        #expect(warnings.contains { $0.contains("not reading its notification socket") }, "\(warnings)")
        // What the manager gets once it reads again begins with READY=1, in the order sent.
        manager.startReading()
        let messages = manager.wait(timeout: .seconds(5)) { $0 == "WATCHDOG=1" }
        #expect(messages.first?.hasPrefix("READY=1") == true, "\(messages)")
        #expect(!messages.contains { $0.contains("STOPPING=1") })
    }
}
