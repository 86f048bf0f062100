import Foundation
import OptOutCore
import OptOutDaemon
import Testing

/// A clock that goes back.
extension FaultTests {
    /// The store has handled notices a month ahead, and the clock says today: the notices
    /// until then count as handled, and the daemon says so, naming both times.
    @Test func aClockSetBackBehindTheStoreIsWarnedAbout() throws {
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("clock")), region: DE}")
        #expect(try fixture.runOnce(at: 30 * 86_400).status == 0)
        #expect(try fixture.runOnce().status == 0)
        try fixture.journalBarrier()
        let warnings = try fixture.entries(["MESSAGE_ID=\(MessageID.clockBehind)"]).filter {
            $0["_CMDLINE"]?.contains(fixture.statePath) == true
        }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?["PRIORITY"] == "4")
        #expect(warnings.first?["MESSAGE"]?.contains("is behind what the state store has handled (up to ") == true)
        // A clock that is right again says nothing.
        #expect(try fixture.runOnce(at: 31 * 86_400).status == 0)
        try fixture.journalBarrier()
        #expect(
            try fixture.entries(["MESSAGE_ID=\(MessageID.clockBehind)"]).filter {
                $0["_CMDLINE"]?.contains(fixture.statePath) == true
            }.count == 1)
    }
}
