import Foundation
import OptOutCore
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Another process holding the store's lock.
extension FaultTests {
    /// Another process holding the store's write lock makes the daemon wait for it; SIGTERM
    /// still ends it within five seconds, and what it could not record is done next time.
    @Test func sigtermCutsAWaitForTheStoresLock() throws {
        let first = fixture.account("lock1")
        try fixture.writeConfig(accounts: "  - {id: \(first), region: DE}")
        let daemon = try fixture.start()
        #expect(try fixture.waitForNotices { !$0.isEmpty }.count == 1)
        let holder = try fixture.holdTheStoresWriteLock()
        defer { kill(holder.processIdentifier, SIGKILL) }
        // A reload with a new account has the daemon record it: it waits for the lock.
        let second = fixture.account("lock2")
        try fixture.writeConfig(accounts: "  - {id: \(first), region: DE}\n  - {id: \(second), region: FR}")
        kill(daemon.processIdentifier, SIGHUP)
        // Reloaded, it goes on to record the new pair, and waits for the lock.
        #expect(
            wait {
                (try? fixture.entries(["MESSAGE_ID=\(MessageID.reloaded)", "_PID=\(daemon.processIdentifier)"]))?
                    .isEmpty == false
            })
        usleep(500_000)
        #expect(
            (try? fixture.entries(["MESSAGE_ID=\(MessageID.storeFailing)", "_PID=\(daemon.processIdentifier)"]))?
                .isEmpty == true, "still waiting, not failed yet")
        let asked = ContinuousClock.now
        #expect(daemon.stop() == 0)
        #expect(ContinuousClock.now - asked < .seconds(5))
        #expect(holder.stop(SIGKILL) == SIGKILL)
        #expect(try fixture.runOnce().status == 0)
        let notices = try fixture.waitForNotices { $0.count >= 2 }
        #expect(notices.map { $0["OPTOUT_ACCOUNT"] ?? "" }.sorted() == [first, second])
    }
}
