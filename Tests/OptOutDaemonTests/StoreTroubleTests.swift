import OptOutCore
import Testing

@testable import OptOutDaemon

@Suite struct StoreTroubleTests {
    static let start = Instant(secondsSince1970: 1_800_000_000)

    /// A store that takes some writes and fails others (a nearly full disk) is one trouble
    /// whose tries grow further apart, not a new one every five seconds: the journal gets
    /// a few entries an hour, not thousands a day.
    @Test func aStoreThatFailsAgainSoonAfterItRecoveredBacksOffFurther() throws {
        var current: StoreTrouble? = nil
        var ended: (trouble: StoreTrouble, at: Instant)? = nil
        var now = Self.start
        var said: [Int] = []
        for _ in 0..<8 {
            // It fails, is said once, recovers at its next try, and fails again at once.
            let trouble = try #require(StoreTrouble.after(current, ended: ended, reason: "disk full", at: now))
            said.append(trouble.backoff)
            #expect(StoreTrouble.after(trouble, ended: ended, reason: "disk full", at: now.adding(seconds: 1)) == nil)
            current = nil
            now = trouble.retryAt
            ended = (trouble, now)
            #expect(trouble.since == Self.start)
        }
        #expect(said == [5, 10, 20, 40, 80, 160, 300, 300])
        // Well after the last one ended, a failure is a new trouble.
        let later = now.adding(seconds: StoreTrouble.longestBackoff + 1)
        let fresh = try #require(StoreTrouble.after(nil, ended: ended, reason: "disk full", at: later))
        #expect(fresh.backoff == StoreTrouble.firstBackoff && fresh.since == later)
    }
}
