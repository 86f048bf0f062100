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
        #expect(try waitForServerMessage("configuration not reloaded", pid: pid))
        #expect(try web.get(link).body.contains("Hello Carol,"))
        #expect(try web.get("/healthz").status == 200)
    }
}
