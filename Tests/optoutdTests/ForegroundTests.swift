import Foundation
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon run by hand in a terminal (`make run`) shows each notice it sends.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct ForegroundTests {
    @Test func inATerminalEachNoticeIsShownAsALine() throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("tty")), region: DE}")
        let output = fixture.directory.appendingPathComponent("terminal").path
        // script(1) gives the daemon a terminal of its own and copies what it shows to a file.
        let terminal = Process()
        terminal.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        terminal.arguments = [
            "-qfec",
            "\(Optoutd.executable.path) run --config \(fixture.configPath) --state \(fixture.statePath)", output,
        ]
        terminal.standardInput = FileHandle.nullDevice
        terminal.standardOutput = FileHandle.nullDevice
        try terminal.run()
        defer {
            if let daemon = StoreLock.holder(ofStore: fixture.statePath) { kill(daemon.pid, SIGTERM) }
            terminal.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(15)
        var shown = ""
        while !shown.contains("policy-applies: "), ContinuousClock.now < deadline {
            usleep(100_000)
            shown = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }
        #expect(shown.contains("policy-applies: "), "\(shown)")
        #expect(shown.contains(fixture.account("tty")))
    }
}
