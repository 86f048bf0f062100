import Foundation
import Testing

@testable import OptOutDaemon

@Suite struct WakeUpSourceTests {
    @Test func theWatchdogKeepsTickingThroughABurstOfWakeUps() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wakeups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try WakeUpSource(
            triggerFile: directory.appendingPathComponent("state.ack").path, watchdogInterval: .milliseconds(100))
        // A busy daemon: something to do every few milliseconds for 1.5 s, as in a long burst.
        let poster = Thread {
            let end = Date().addingTimeInterval(1.5)
            while Date() < end {
                source.post(.due)
                usleep(2_000)
            }
            source.finish()
        }
        poster.start()
        var watchdogs = 0
        var dues = 0
        for await wakeUp in source.events {
            if wakeUp == .watchdog { watchdogs += 1 }
            if wakeUp == .due { dues += 1 }
        }
        #expect(dues > 100)
        #expect(watchdogs >= 5, "\(watchdogs) watchdog wake-ups in 1.5 s at a 100 ms interval")
    }

    @Test func anAckTriggerFileWakesItUp() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wakeups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let trigger = directory.appendingPathComponent("state.ack").path
        let source = try WakeUpSource(triggerFile: trigger, watchdogInterval: nil)
        FileManager.default.createFile(atPath: directory.appendingPathComponent("other").path, contents: Data("x".utf8))
        FileManager.default.createFile(atPath: trigger, contents: Data("1\n".utf8))
        // The first wake-up is the trigger's (writing it may report more than one event);
        // the other file, written first, woke nothing.
        var first: WakeUp?
        for await wakeUp in source.events {
            first = wakeUp
            break
        }
        source.finish()
        #expect(first == .acknowledged)
    }
}
