import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A server asked to stop while it answers.
extension ConfirmationPageTests {
    /// SIGTERM while a confirmation waits for the store (another process holds its write
    /// lock): the person still gets the page that says it was recorded, it is recorded
    /// once, and the server ends on its own.
    @Test func aStoppingServerStillAnswersWhatItWasAsked() throws {
        let link = path(try web.link(alice))
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = [
            "-c",
            "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                + "c.execute('BEGIN IMMEDIATE')\nprint('held', flush=True)\ntime.sleep(60)",
            fixture.statePath,
        ]
        let held = Pipe()
        holder.standardOutput = held
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL) }
        #expect(held.fileHandleForReading.availableData.starts(with: Data("held".utf8)))

        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        probe.arguments = [
            Optoutd.repository.appendingPathComponent("Tests/support/web_probe.py").path, "post-and-wait",
            web.url(link), "done=\(alice)%3Aobjection-form",
        ]
        let answer = Pipe()
        probe.standardOutput = answer
        try probe.run()
        defer { kill(probe.processIdentifier, SIGKILL) }
        #expect(answer.fileHandleForReading.availableData.starts(with: Data("sent".utf8)))
        // The request reaches the server, which waits for the store's lock.
        usleep(300_000)
        web.terminateServer()
        usleep(300_000)
        kill(holder.processIdentifier, SIGKILL)

        probe.waitUntilExit()
        let printed = answer.fileHandleForReading.readDataToEndOfFile()
        let page = try #require(try JSONSerialization.jsonObject(with: printed) as? [String: Any])
        #expect(page["status"] as? Int == 200, "\(page)")
        #expect((page["body"] as? String)?.contains("We recorded") == true)
        #expect((page["headers"] as? [String: String])?["Connection"] == "close")
        #expect(web.serverExitStatus() == 0)
        #expect(try web.acks(alice).map { $0["action"] as? String } == ["objection-form"])
    }
}
