import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `optoutd test-notify` against real channels.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct TestNotifyTests {
    @Test func eachChannelSaysWhetherItWorked() throws {
        let fixture = try DaemonFixture()
        let received = fixture.directory.appendingPathComponent("received")
        try FileManager.default.createDirectory(at: received, withIntermediateDirectories: true)
        let server = try LocalServer(script: "http_server.py", [received.path, "200"])
        let hook = fixture.directory.appendingPathComponent("hook.sh").path
        try "#!/bin/sh\ncat > /dev/null\nexit 1\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let account = fixture.account("probe")
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: NO}",
            extra: """
                channels:
                  hooks: [{name: ticket, command: ["\(hook)"]}]
                  webhooks: [{name: chat, url: "http://127.0.0.1:\(server.port)/hook"}]
                """)
        let all = try Optoutd.run(["test-notify", "--config", fixture.configPath])
        #expect(all.status == 69)
        #expect(all.stdout == "journal: ok\nticket: failed: hook ticket exited with status 1\nchat: ok\n")
        let body = try String(contentsOf: received.appendingPathComponent("request-1.json"), encoding: .utf8)
        #expect(body.contains(#"\"test\":true"#))
        let entry = try #require(try fixture.entries(["OPTOUT_ACCOUNT=\(account)", "OPTOUT_TEST=1"]).first)
        #expect(entry["MESSAGE"]?.hasPrefix("Test from optoutd: ") == true)
        #expect(!FileManager.default.fileExists(atPath: fixture.statePath))

        let one = try Optoutd.run(["test-notify", "--config", fixture.configPath, "--channel", "chat"])
        #expect(one.status == 0)
        #expect(one.stdout == "chat: ok\n")
        #expect(try Optoutd.run(["test-notify", "--config", fixture.configPath, "--channel", "pager"]).status == 64)
        #expect(try Optoutd.run(["test-notify", "--config", fixture.configPath, "--account", "nobody"]).status == 65)
        // A hook program that is not there is named, with the system's reason in words.
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: NO}",
            extra: "channels:\n  hooks: [{name: gone, command: [\"/nonexistent/hook\"]}]")
        let gone = try Optoutd.run(["test-notify", "--config", fixture.configPath, "--channel", "gone"])
        #expect(gone.status == 69)
        #expect(gone.stdout == "gone: failed: hook gone: cannot run /nonexistent/hook: No such file or directory\n")
    }

    /// `--channel email` alone tests mail with an account it can reach; a named account
    /// without an address is skipped with a hint.
    @Test func mailAloneIsTestedWithAnAccountItCanReach() throws {
        let mail = try MailFixture()
        let fixture = mail.fixture
        let server = try mail.server()
        let quiet = fixture.account("nomail")
        try fixture.writeConfig(
            accounts:
                "  - {id: \(quiet), region: DE}\n  - {id: \(fixture.account("mail")), region: DE, email: m@example.org}",
            extra:
                "channels:\n  email: {from: p@example.org, transport: \"smtp://127.0.0.1:\(server.port)\", starttls: off}"
        )
        let result = try Optoutd.run(["test-notify", "--config", fixture.configPath, "--channel", "email"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "email (m@example.org): ok\n")
        let named = try Optoutd.run([
            "test-notify", "--config", fixture.configPath, "--channel", "email", "--account", quiet,
        ])
        #expect(
            named.stdout
                == "email: skipped: no recipient for account \(quiet) (name one with an address: --account ID)\n")
    }

    /// A test is marked as one, in the owner's message and in the copy, and adds nothing
    /// to a calendar: it asks for nothing.
    @Test func aTestMailIsMarkedAndAddsNothingToACalendar() throws {
        let mail = try MailFixture()
        let fixture = mail.fixture
        let server = try mail.server()
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("mail")), region: DE, email: m@example.org}",
            extra:
                "channels:\n  email: {from: p@example.org, transport: \"smtp://127.0.0.1:\(server.port)\", starttls: off, cc: [team@example.org]}"
        )
        let result = try Optoutd.run(["test-notify", "--config", fixture.configPath, "--channel", "email"])
        #expect(result.stdout == "email (m@example.org): ok\nemail (team@example.org): ok\n", "\(result.stderr)")
        let received = try mail.messages().map(\.mail)
        #expect(received.count == 2)
        for message in received {
            #expect(
                (message["headers"] as? [String: String])?["X-Optoutd-Test"] == "yes", "\(message["headers"] ?? "")")
            #expect((message["attachments"] as? [Any])?.isEmpty == true)
        }
    }
}
