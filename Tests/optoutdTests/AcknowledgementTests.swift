import Foundation
import OptOutCore
import Testing

/// `ack` records who did what, when and why; a correction is a record of its own.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct AcknowledgementTests {
    let fixture: DaemonFixture

    init() throws {
        fixture = try DaemonFixture()
    }

    func status() throws -> [[String: Any]] {
        let result = try fixture.run(["status", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    func row(_ rows: [[String: Any]], _ account: String, _ policy: String) -> [String: Any]? {
        rows.first { $0["account"] as? String == account && $0["policy"] as? String == policy }
    }

    /// Facebook's and Instagram's objection forms share an action id. An account moved from
    /// one to the other has not done the new one's: it is asked again, a record of it is made,
    /// and the old record stands again when the account moves back.
    @Test func aRecordCountsOnlyOnThePlatformItWasMadeOn() throws {
        let account = fixture.account("meta")
        func pending(_ policy: String) throws -> [String]? {
            row(try status(), account, policy)?["pending"] as? [String]
        }
        try fixture.writeConfig(accounts: "  - {id: \(account), platform: facebook, region: DE}")
        #expect(try fixture.run(["ack", account, "ai-objection-form", "--create"]).status == 0)
        #expect(try pending("facebook-ai-training-eu-2025") == [])
        try fixture.writeConfig(accounts: "  - {id: \(account), platform: instagram, region: DE}")
        #expect(try pending("instagram-ai-training-eu-2025") == ["ai-objection-form"])
        let plan = try fixture.run(["plan", "--days", "1", "--format", "json"])
        #expect(plan.stdout.contains("instagram-ai-training-eu-2025"), "\(plan.stdout)")
        let instagram = try fixture.run(["ack", account, "ai-objection-form"])
        #expect(instagram.stdout == "recorded for \(account), ai-objection-form\n", "\(instagram.stdout)")
        try fixture.writeConfig(accounts: "  - {id: \(account), platform: facebook, region: DE}")
        #expect(try pending("facebook-ai-training-eu-2025") == [])
        let records = try fixture.run(["report", "--records", "--format", "csv"]).stdout
        #expect(records.contains(",\(account),facebook,DE,,ai-objection-form,done,"), "\(records)")
        #expect(records.contains(",\(account),instagram,DE,,ai-objection-form,done,"), "\(records)")
    }

    @Test func anActionIdAloneSettlesEveryPolicyThatAsksForIt() throws {
        let account = fixture.account("ca")
        // The day records are made, as `ack` names it: in the configuration's zone.
        let today = try #require(Zone(identifier: "Europe/Berlin")).localDate(of: Instant(Date()))
        // Canada: the 2025 training change and the ads sharing change.
        try fixture.writeConfig(accounts: "  - {id: \(account), region: CA, done: [ads-off-linkedin]}")
        let recorded = try fixture.run(["ack", account, "ai-improvement-toggle", "--note", "ticket 42", "--create"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout == "recorded for \(account), ai-improvement-toggle\n")
        let rows = try status()
        let training = try #require(row(rows, account, "linkedin-genai-training-2025"))
        #expect((training["done"] as? [String])?.contains("ai-improvement-toggle") == true)
        let acks = try #require(training["acks"] as? [[String: Any]])
        let toggle = try #require(acks.first { $0["action"] as? String == "ai-improvement-toggle" })
        #expect(toggle["source"] as? String == "cli:root")
        #expect(toggle["note"] as? String == "ticket 42")
        // An empty note is no note.
        #expect(
            try fixture.run(["ack", account, "linkedin-genai-training-2025", "objection-form", "--note", ""]).status
                == 0)
        let trainingAcks = row(try status(), account, "linkedin-genai-training-2025")?["acks"] as? [[String: Any]]
        let objection = try #require(trainingAcks?.first { $0["action"] as? String == "objection-form" })
        #expect(objection["note"] is NSNull, "\(objection)")
        // A note that starts like an option is given attached to --note.
        let dashed = try fixture.run([
            "ack", account, "linkedin-ads-sharing-2025", "data-from-others", "--note=-2 days, see ticket 9",
        ])
        #expect(dashed.status == 0, "\(dashed.stderr)")
        let sharingAcks = row(try status(), account, "linkedin-ads-sharing-2025")?["acks"] as? [[String: Any]]
        #expect(
            sharingAcks?.first { $0["action"] as? String == "data-from-others" }?["note"] as? String
                == "-2 days, see ticket 9")
        // What the configuration marks as done already is left out, and said so.
        let whole = try fixture.run(["ack", account, "linkedin-ads-sharing-2025"])
        #expect(
            whole.stdout
                == "recorded for \(account), linkedin-ads-sharing-2025: share-with-affiliates, measure-ad-success, microsoft-privacy (already done: ads-off-linkedin in the configuration, data-from-others on \(today) by cli:root) (the same switch for linkedin-affiliate-ai-sharing-2025: done there too)\n",
            "\(whole.stdout)")
        // What stands is not recorded again: when and by whom it was done stays as it was.
        let repeated = try fixture.run(["ack", account, "ai-improvement-toggle", "--note", "again"])
        #expect(repeated.status == 0)
        #expect(
            repeated.stdout
                == "nothing recorded for \(account) (already done: ai-improvement-toggle on \(today) by cli:root)\n")
        let kept = row(try status(), account, "linkedin-genai-training-2025")?["acks"] as? [[String: Any]]
        #expect(kept?.first { $0["action"] as? String == "ai-improvement-toggle" }?["note"] as? String == "ticket 42")
        // Undoing what the configuration marks as done says that it stays done.
        let undone = try fixture.run(["ack", account, "linkedin-ads-sharing-2025", "ads-off-linkedin", "--undo"])
        #expect(undone.status == 0)
        #expect(
            undone.stderr.contains(
                "warning: the configuration's done entries of \(account) still mark ads-off-linkedin as done"),
            "\(undone.stderr)")
        #expect((toggle["at"] as? String)?.count == 25)  // RFC 3339 with the offset
        // What the configuration marks as done says so.
        let ads = try #require(row(rows, account, "linkedin-ads-sharing-2025"))
        let configured = try #require(
            (ads["acks"] as? [[String: Any]])?.first { $0["action"] as? String == "ads-off-linkedin" })
        #expect(configured["source"] as? String == "config")
        #expect(configured["at"] is NSNull)
        // An id that is neither a policy nor an action of the account is refused.
        let unknown = try fixture.run(["ack", account, "no-such-switch"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("'no-such-switch' is neither a policy nor an action that applies to"))
        // Whatever was typed is quoted safely.
        let hostile = try fixture.run(["ack", account, "linkedin-genai-training-2025", "x\u{1B}]0;pwned\u{07}"])
        #expect(hostile.status == 65)
        #expect(hostile.stderr.contains("has no action 'x?]0;pwned?'"), "\(hostile.stderr)")
    }

    /// A note is written by whoever holds a link or runs `ack`, and shown beside what
    /// optoutd says: a line break in it must not start what looks like another row, and
    /// nothing in it may act on the terminal.
    @Test func notesShowOnOneLineAndCannotActOnTheTerminal() throws {
        let account = fixture.account("nl")
        try fixture.writeConfig(accounts: "  - {id: \(account), region: NL}")
        let policy = "linkedin-genai-training-2025"
        let forged = "ok\n\(account)  \(policy)  objection-form (2026-12-01, cli:root)"
        #expect(
            try fixture.run(["ack", account, policy, "ai-improvement-toggle", "--note", forged, "--create"]).status == 0
        )
        let table = try fixture.run(["status"])
        #expect(table.stdout.contains("ai-improvement-toggle ("), "\(table.stdout)")
        #expect(table.stdout.contains(": ok ↵ \(account)  \(policy)"), "\(table.stdout)")
        #expect(!table.stdout.contains("\n\(account)  \(policy)  objection-form"))
        let report = try fixture.run(["report"])
        #expect(report.stdout.contains("ok ↵ \(account)"), "\(report.stdout)")
        // What a terminal would act on is refused, as the confirmation page refuses it.
        let invisible = ["soft\u{00AD}hyphen", "tag\u{E0041}text", "filler\u{3164}", "note\u{FFF9}"]
        // A character carrying thousands of combining marks is still thousands long.
        let heavy = "x" + String(repeating: "\u{0301}", count: 1000)
        for note in ["clear\u{1B}[2J", "tab\tx", "re\u{202E}versed", String(repeating: "n", count: 1001), heavy]
            + invisible
        {
            let refused = try fixture.run(["ack", account, policy, "objection-form", "--note", note])
            #expect(refused.status == 64, "\(refused.stderr)")
        }
        #expect((row(try status(), account, policy)?["pending"] as? [String]) == ["objection-form"])
    }

    @Test func undoRecordsThatAnActionIsPendingAgain() throws {
        let account = fixture.account("de")
        try fixture.writeConfig(accounts: "  - {id: \(account), region: DE}")
        let policy = "linkedin-genai-training-2025"
        #expect(try fixture.run(["ack", account, policy, "--create"]).status == 0)
        #expect((row(try status(), account, policy)?["pending"] as? [String]) == [])
        let undone = try fixture.run(["ack", account, policy, "objection-form", "--undo", "--note", "form not sent"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(undone.stdout == "pending again for \(account), \(policy): objection-form\n")
        #expect((row(try status(), account, policy)?["pending"] as? [String]) == ["objection-form"])
        // An undo of what is not recorded as done corrects nothing, and records nothing.
        let again = try fixture.run(["ack", account, policy, "objection-form", "--undo"])
        #expect(
            again.stdout
                == "nothing recorded for \(account), \(policy) (not recorded as done, left as it is: objection-form)\n"
        )
        // Nothing was rewritten: both records are in the store.
        let records = try Optoutd.runTool(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*), sum(undone) from acknowledgement').fetchone())",
                fixture.statePath,
            ])
        #expect(records.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "(3, 1)", "\(records.stderr)")
    }

    @Test func aPolicyIdThatIsAlsoAnActionIdIsRefused() throws {
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("x")), region: DE}",
            extra: """
                policies:
                  - {id: ai-improvement-toggle, platform: linkedin, title: T, effective: 2030-01-01, regions: [DE], actions: [{id: other, title: O, where: W}], sources: [{url: "https://example.org", supports: "a fact"}]}
                """)
        let check = try Optoutd.run(["check", "--config", fixture.configPath])
        #expect(check.status == 78)
        #expect(
            check.stderr.contains(
                "error: policy id 'ai-improvement-toggle' is also the id of an action of platform 'linkedin'"),
            "\(check.stderr)")
    }
}
