import Foundation
import OptOutCore
import OptOutDaemon
import Testing

/// Overdue past `escalate_after`: the manager is told, in the journal and by mail.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct EscalationTests {
    @Test func theManagerIsToldWhoHasNotActedOnWhat() throws {
        let mail = try MailFixture()
        let fixture = mail.fixture
        let server = try mail.server()
        let account = fixture.account("late")
        try fixture.writeConfig(
            accounts:
                "  - {id: \(account), region: DE, name: Lena Late, email: lena@example.org, manager: boss@example.org}",
            extra: """
                reminders: {lead_times: [], overdue_every: 7d, overdue_max: 3, escalate_after: 1}
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(server.port)", starttls: off}
                """)
        let firstSeen = Instant(iso: "2025-10-01T10:00:00Z", defaultZone: .utc)!
        try fixture.seed([(account, "linkedin-genai-training-2025", firstSeen)])
        // 20 November: the second overdue notice (17 November) is due, and with it an escalation.
        let result = try fixture.runOnce(from: Instant(iso: "2025-11-20T10:00:00Z", defaultZone: .utc)!)
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try fixture.notices()
        let escalation = try #require(entries.first { $0["OPTOUT_EVENT"] == "escalation" })
        #expect(escalation["MESSAGE_ID"] == MessageID.notice(.escalation))
        #expect(escalation["PRIORITY"] == "4")
        #expect(
            escalation["MESSAGE"]?.contains("Lena Late (\(account)) has not opted out of linkedin-genai-training-2025")
                == true)
        #expect(entries.contains { $0["OPTOUT_EVENT"] == "overdue" })
        let received = try mail.byRecipient()
        let toManager = try #require(received["boss@example.org"])
        let managerBody = toManager["body"] as? String ?? ""
        #expect(managerBody.contains("Lena Late"), "\(managerBody)")
        // It says why the manager gets it, and what is asked of them.
        let managerHeaders = toManager["headers"] as? [String: String] ?? [:]
        #expect(managerHeaders["Subject"] == "Opt-out steps overdue for 1 account you look after")
        #expect(managerBody.hasPrefix("You are named as the manager of the accounts below."))
        #expect(managerBody.contains("please follow up with them."))
        let toOwner = try #require(received["lena@example.org"])
        #expect((toOwner["body"] as? String ?? "").hasPrefix("Hello Lena Late,"))
        // The plan and status name the event too.
        let plan = try fixture.run(["plan", "--now", "2025-11-20T10:00:00Z", "--days", "10", "--format", "json"])
        #expect(plan.stdout.contains("\"event\":\"escalation\"") || plan.stdout.contains("\"event\": \"escalation\""))
    }
}
