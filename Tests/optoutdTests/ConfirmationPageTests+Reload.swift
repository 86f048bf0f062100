import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGHUP: the pages load the configuration again, as the daemon does.
extension ConfirmationPageTests {
    /// The journal messages of the server, once `count` of them contain `text`.
    func waitForServerMessage(_ text: String, count: Int = 1, pid: Int32) throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let messages = try fixture.entries(["_PID=\(pid)"]).compactMap { $0["MESSAGE"] }
            if messages.count(where: { $0.contains(text) }) >= count { return true }
            usleep(50_000)
        }
        return false
    }

    /// An account added since the server started has its page once it reloads; a
    /// configuration with errors leaves the pages as they were.
    @Test func aReloadedServerKnowsTheAccountsAddedSinceItStarted() throws {
        let manager = try NotifySocket()
        defer { manager.close() }
        web.stop()
        try web.serve(environment: ["NOTIFY_SOCKET": manager.path])
        let carol = fixture.account("carol")
        try fixture.writeConfig(
            accounts: """
                  - {id: \(alice), region: DE, email: alice@example.org, name: Alice}
                  - {id: \(carol), region: IT, email: carol@example.org, name: Carol}
                """,
            extra: web.webSection)
        let link = path(try web.link(carol))
        let before = try web.get(link)
        #expect(!before.body.contains("Hello Carol,"), "\(before.status) \(before.body)")
        let pid = try #require(web.serverProcessIdentifier)
        kill(pid, SIGHUP)
        #expect(try waitForServerMessage("configuration reloaded", pid: pid))
        let after = try web.get(link)
        #expect(after.status == 200)
        #expect(after.body.contains("Hello Carol,"), "\(after.body)")

        try "version: 1\naccounts: [\n".write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        #expect(try waitForServerMessage("configuration rejected, the running one stays in force", pid: pid))
        #expect(try web.get(link).body.contains("Hello Carol,"))
        #expect(try web.get("/healthz").status == 200)
        // The manager heard of both reloads, and of the rejection until the next one.
        let messages = manager.wait { $0.contains("reload rejected (1 error)") }
        #expect(messages.count { $0.hasPrefix("RELOADING=1") } == 2, "\(messages)")
        #expect(
            messages.last?.hasPrefix("READY=1\nSTATUS=serving on 127.0.0.1:\(web.port); reload rejected (1 error): ")
                == true, "\(messages)")
    }

    /// SIGHUP before the pages serve (a large configuration still loading) does not end the
    /// server.
    @Test func aReloadAskedForWhileTheConfigurationLoadsDoesNotEndTheServer() throws {
        web.stop()
        let rows = (0..<20_000).map { "\(fixture.account("p\($0)")),DE,p\($0)@example.org" }
        try ("id,region,email\n" + rows.joined(separator: "\n") + "\n").write(
            toFile: fixture.directory.appendingPathComponent("people.csv").path, atomically: true, encoding: .utf8)
        try fixture.writeConfig(
            accounts: "  - {id: \(alice), region: DE}", extra: web.webSection + "\naccounts_files: [people.csv]")
        let process = Process()
        process.executableURL = Optoutd.executable
        process.arguments = [
            "serve", "--config", fixture.configPath, "--state", fixture.statePath, "--listen", "127.0.0.1:\(web.port)",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.stop() }
        usleep(150_000)  // past the start of main, before the file is loaded
        kill(process.processIdentifier, SIGHUP)
        let deadline = ContinuousClock.now + .seconds(30)
        var healthy = false
        while !healthy && process.isRunning && ContinuousClock.now < deadline {
            healthy = (try? web.probe(["get", web.base + "/healthz"], quiet: true))?["status"] as? Int == 200
            usleep(50_000)
        }
        #expect(healthy && process.isRunning)
    }
}
