import Foundation
import OptOutCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hook commands: argv, environment, JSON on standard input, timeouts and retries.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct HookTests {
    let fixture: DaemonFixture

    init() throws {
        fixture = try DaemonFixture()
    }

    func script(_ name: String, _ body: String) throws -> String { try fixture.script(name, body) }

    func hookConfig(_ command: [String], timeout: String = "10s") throws {
        let argv = command.map { "\"\($0)\"" }.joined(separator: ", ")
        try fixture.writeConfig(
            accounts:
                "  - {id: \(fixture.account("hooked")), region: DK, name: \"Søren Ærø\", email: soren@example.org}",
            extra: "channels:\n  hooks:\n    - {name: ticket, command: [\(argv)], timeout: \(timeout)}")
    }

    var invocations: Int {
        ((try? String(contentsOf: fixture.directory.appendingPathComponent("count"), encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    @Test func aHookGetsArgvTheEnvironmentAndTheDocumentOnce() throws {
        let out = fixture.directory.path
        let hook = try script(
            "hook.sh",
            """
            echo run >> \(out)/count
            printf '%s\\n' "$@" > \(out)/argv
            env | grep '^OPTOUT_' | sort > \(out)/env
            cat > \(out)/stdin
            echo "ticket opened for $OPTOUT_ACCOUNT"
            """)
        try hookConfig([hook, "--queue=privacy", "two words", "$HOME;rm -rf /"])
        #expect(try fixture.runOnce().status == 0)
        #expect(invocations == 1)
        let argv = try String(contentsOfFile: out + "/argv", encoding: .utf8)
        #expect(argv == "--queue=privacy\ntwo words\n$HOME;rm -rf /\n")  // no shell expanded anything
        let environment = try String(contentsOfFile: out + "/env", encoding: .utf8).split(separator: "\n").map(
            String.init)
        let account = fixture.account("hooked")
        #expect(
            environment == [
                "OPTOUT_ACCOUNT=\(account)",
                "OPTOUT_DAYS_LEFT=\(environment.first { $0.hasPrefix("OPTOUT_DAYS_LEFT=") }?.dropFirst(17) ?? "?")",
                "OPTOUT_DEADLINE=2025-11-03", "OPTOUT_EFFECTIVE=2025-11-03", "OPTOUT_EVENT=policy-applies",
                "OPTOUT_LATE=0",
                "OPTOUT_PENDING=ai-improvement-toggle,objection-form", "OPTOUT_PLATFORM=linkedin",
                "OPTOUT_POLICY=linkedin-genai-training-2025",
                "OPTOUT_REGION=DK", "OPTOUT_TEST=0",
            ])
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/stdin")))
                as? [String: Any])
        #expect(document["version"] as? Int == 1)
        #expect(document["event"] as? String == "policy-applies")
        #expect(document["test"] as? Bool == false)
        #expect((document["account"] as? [String: Any])?["name"] as? String == "Søren Ærø")
        #expect((document["policy"] as? [String: Any])?["id"] as? String == "linkedin-genai-training-2025")
        let pending = document["pending"] as? [[String: Any]] ?? []
        #expect(pending.map { $0["id"] as? String } == ["ai-improvement-toggle", "objection-form"])
        #expect((pending.first?["url"] as? String)?.hasPrefix("https://www.linkedin.com/") == true)
        // Its output reaches the journal, tagged with the hook's name.
        let lines = try fixture.entries(["OPTOUT_HOOK=ticket", "OPTOUT_ACCOUNT=\(account)"])
        #expect(lines.map { $0["MESSAGE"] } == ["ticket: ticket opened for \(account)"])
        // Delivered: a later run does not run it again.
        #expect(try fixture.runOnce(at: 3600).status == 0)
        #expect(invocations == 1)
    }

    @Test func aFailingHookIsRetriedAfterBackOff() throws {
        let out = fixture.directory.path
        let hook = try script(
            "flaky.sh",
            "echo run >> \(out)/count\n[ $(wc -l < \(out)/count) -ge 2 ] || { echo 'queue full' >&2; exit 1; }")
        try hookConfig([hook])
        #expect(try fixture.runOnce().status == 0)
        #expect(invocations == 1)
        let failed = try fixture.entries([
            "MESSAGE_ID=6b0a17e52bb541faa6c5db86cb228545", "OPTOUT_ACCOUNT=\(fixture.account("hooked"))",
        ])
        #expect(failed.first?["MESSAGE"]?.contains("hook ticket exited with status 1") == true)
        #expect(
            try fixture.entries(["OPTOUT_HOOK=ticket"]).contains {
                $0["MESSAGE"] == "ticket: queue full" && $0["PRIORITY"] == "4"
            })
        let status = try fixture.run(["status"])
        #expect(status.stdout.contains("outbox: 1 waiting for ticket (last error: hook ticket exited with status 1)"))
        #expect(try fixture.runOnce(at: 30).status == 0)  // too early: back-off is a minute
        #expect(invocations == 1)
        #expect(try fixture.runOnce(at: 70).status == 0)
        #expect(invocations == 2)
        #expect(try fixture.runOnce(at: 7200).status == 0)
        #expect(invocations == 2)
        #expect(!(try fixture.run(["status"]).stdout.contains("outbox:")))
    }

    @Test func aHangingHookIsKilledAtItsTimeoutAndRetried() throws {
        let out = fixture.directory.path
        let hook = try script("slow.sh", "echo run >> \(out)/count\n[ $(wc -l < \(out)/count) -ge 2 ] || sleep 60")
        try hookConfig([hook], timeout: "1s")
        let started = ContinuousClock.now
        #expect(try fixture.runOnce().status == 0)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(invocations == 1)
        let status = try fixture.run(["status"])
        #expect(status.stdout.contains("hook ticket ran longer than 1 s and was killed"))
        #expect(try fixture.runOnce(at: 70).status == 0)
        #expect(invocations == 2)
        #expect(!(try fixture.run(["status"]).stdout.contains("outbox:")))
    }

    /// A delivery still failing after `give_up_after` is given up, but only once it was
    /// tried again: the daemon may have been stopped for longer than that, and a channel
    /// that works again then delivers what waited, late.
    @Test(arguments: [false, true]) func deliveriesAreGivenUpAfterTheirTimeOnceTriedAgain(mended: Bool) throws {
        let out = fixture.directory.path
        let hook = try script("broken.sh", "echo \"$OPTOUT_EVENT\" >> \(out)/tried\n[ -e \(out)/mended ] || exit 3")
        try hookConfig([hook])
        #expect(try fixture.runOnce().status == 0)
        if mended { FileManager.default.createFile(atPath: "\(out)/mended", contents: nil) }
        let late = try fixture.runOnce(at: 8 * 86_400)
        #expect(late.status == 0, "\(late.stderr)")
        let tried = try String(contentsOfFile: "\(out)/tried", encoding: .utf8).split(separator: "\n")
        #expect(tried.filter { $0 == "policy-applies" }.count == 2, "\(tried)")
        if mended {
            #expect(!(try fixture.run(["status"]).stdout.contains("outbox:")))
            return
        }
        let entries = try fixture.entries([
            "MESSAGE_ID=6b0a17e52bb541faa6c5db86cb228545", "OPTOUT_ACCOUNT=\(fixture.account("hooked"))",
        ])
        let gaveUp = entries.filter { $0["MESSAGE"]?.hasPrefix("never delivered through ticket") == true }
        #expect(gaveUp.count == 1)
        #expect(gaveUp.first?["PRIORITY"] == "3")
        #expect(
            gaveUp.first?["MESSAGE"]?.hasSuffix(
                "not delivered within 7 days; the last try said: hook ticket exited with status 3") == true)
        // Only the overdue notice issued at the second run still waits.
        #expect(try fixture.run(["status"]).stdout.contains("outbox: 1 waiting for ticket"))
    }

    /// Deliveries for a channel taken out of the configuration are kept in case it comes
    /// back, until `give_up_after`: then they are given up, and the outbox empties.
    @Test func deliveriesForARemovedChannelAreGivenUpInTheirTime() throws {
        try hookConfig([try script("broken.sh", "exit 3")])
        #expect(try fixture.runOnce().status == 0)
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("hooked")), region: DK}")
        #expect(try fixture.runOnce(at: 86_400).status == 0)
        #expect(
            try fixture.run(["status"]).stdout.contains(
                "outbox: 1 waiting for ticket (last error: channel ticket is not configured)"))
        #expect(try fixture.runOnce(at: 8 * 86_400).status == 0)
        #expect(!(try fixture.run(["status"]).stdout.contains("waiting for ticket")))
        let gaveUp = try fixture.entries(["OPTOUT_ACCOUNT=\(fixture.account("hooked"))", "PRIORITY=3"]).filter {
            $0["MESSAGE"]?.hasPrefix("never delivered through ticket") == true
        }
        #expect(gaveUp.count == 1)
        #expect(
            gaveUp.first?["MESSAGE"]?.hasSuffix("not delivered within 7 days: channel ticket is no longer configured")
                == true)
    }
}
