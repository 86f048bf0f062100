import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A server asked to stop while it answers.
extension ConfirmationPageTests {
    /// SIGTERM while a confirmation waits for the store (another process holds its write
    /// lock): the person still gets the page that says it was recorded, it is recorded
    /// once, and the server ends on its own. The manager hears STOPPING=1 when the stop
    /// begins, and a reload asked for while stopping loads nothing.
    @Test func aStoppingServerStillAnswersWhatItWasAsked() throws {
        let manager = try NotifySocket()
        defer { manager.close() }
        web.stop()
        try web.serve(environment: ["NOTIFY_SOCKET": manager.path])
        let server = try #require(web.serverProcessIdentifier)
        let link = path(try web.link(alice))
        let holder = try fixture.holdTheStoresWriteLock()
        defer { kill(holder.processIdentifier, SIGKILL) }

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
        #expect(manager.wait(timeout: .seconds(5)) { $0.contains("STOPPING=1") }.contains { $0.contains("STOPPING=1") })
        kill(server, SIGHUP)
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
        #expect(!manager.messages.contains { $0.hasPrefix("RELOADING=1") }, "\(manager.messages)")
    }

    /// A store that cannot be written for longer than the wait for its lock: the person gets
    /// a page in their language that says nothing was recorded and to send it again, and
    /// sent again once the store is free, it is recorded once.
    @Test func aStoreThatCannotBeWrittenGetsAPageThatSaysToTryAgain() throws {
        let link = path(try web.link(bob))
        let form = "done=\(bob)%3Aobjection-form"
        let holder = try fixture.holdTheStoresWriteLock()
        defer { kill(holder.processIdentifier, SIGKILL) }
        let busy = try web.post(link, form)
        #expect(busy.status == 503)
        #expect(busy.headers["Retry-After"] == "120")
        #expect(busy.headers["Content-Type"]?.hasPrefix("text/html") == true)
        #expect(busy.body.contains("<html lang=\"fr\">"))
        #expect(busy.body.contains("Nous ne pouvons pas l’enregistrer pour le moment"))
        #expect(holder.stop(SIGKILL) == SIGKILL)
        #expect(try web.post(link, form).status == 200)
        #expect(try web.acks(bob).map { $0["action"] as? String } == ["objection-form"])
    }
}
