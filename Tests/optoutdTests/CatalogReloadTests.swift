import Foundation
import OptOutCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A correction dropped into policies.d reaches a running daemon on reload.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct CatalogReloadTests {
    @Test func aPoliciesDOverrideMovesADeadlineOnReloadWithoutBackFilling() throws {
        let fixture = try DaemonFixture()
        let account = fixture.account("moved")
        try fixture.writeConfig(accounts: "  - {id: \(account), region: DE}")
        let notify = try NotifySocket()
        defer { notify.close() }
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])
        defer { daemon.stop() }
        notify.wait { $0.contains("READY=1") }
        let applies = try fixture.waitForNotices { !$0.isEmpty }
        #expect(applies.map { $0["OPTOUT_EVENT"] } == ["policy-applies"])
        #expect(applies.first?["OPTOUT_DEADLINE"] == "2025-11-03")
        // The shipped deadline is long past: the next notice is an overdue repeat.
        let overdue = "next: overdue for \(account) (linkedin-genai-training-2025)"
        #expect(notify.wait { $0.contains(overdue) }.contains { $0.contains(overdue) })

        // The deadline moves 20 days ahead: the 30-day reminder would have been due 10 days ago,
        // the 14-day one is 6 days ahead.
        let berlin = try #require(Zone(identifier: "Europe/Berlin"))
        let today = berlin.localDate(of: Instant(Date()))
        let deadline = today.adding(days: 20)
        let override = try fixture.subdirectory("policies.d").appendingPathComponent("linkedin.yaml")
        try """
        - id: linkedin-genai-training-2025
          replaces: true
          platform: linkedin
          title: "LinkedIn extends generative-AI training to Europe (deadline corrected)"
          effective: \(deadline)
          deadline: \(deadline)
          regions: [EU, EEA, CH, GB, CA, HK]
          actions:
            - {id: ai-improvement-toggle, title: Toggle, where: "Settings → Data privacy"}
          sources: [{url: "https://example.org/correction", supports: "the corrected date"}]
        """.write(to: override, atomically: true, encoding: .utf8)
        let before = notify.messages.count
        kill(daemon.processIdentifier, SIGHUP)
        let reloaded = notify.wait(after: before) { $0.contains("READY=1") }.dropFirst(before)
        let ready = try #require(reloaded.first { $0.contains("READY=1") })
        #expect(
            ready.contains(
                "next: deadline-reminder for \(account) (linkedin-genai-training-2025) at \(today.adding(days: 6))T09:00:00"
            ), "\(ready)")

        let warnings = try fixture.entries(["_PID=\(daemon.processIdentifier)", "PRIORITY=4"])
        #expect(
            warnings.contains {
                $0["MESSAGE"]?.hasPrefix(
                    "\(override.path):1:3: warning: policy 'linkedin-genai-training-2025' replaces the shipped policy defined at <builtin>/linkedin.yaml:"
                ) == true
            }, "\(warnings.map { $0["MESSAGE"] ?? "" })")
        // Nothing is sent for the reminder that the new dates put in the past.
        usleep(500_000)
        #expect(try fixture.notices().count == 1)
        let status = try fixture.run(["status", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        #expect((rows.first?["next_at"] as? String)?.hasPrefix("\(today.adding(days: 6))T09:00:00") == true)
        #expect((rows.first?["next_at"] as? String)?.hasSuffix("(deadline-reminder)") == true)
    }
}
