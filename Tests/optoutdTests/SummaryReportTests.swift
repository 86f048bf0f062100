import Foundation
import OptOutCore
import OptOutDaemon
import Testing

/// `channels.email.report_to`: the privacy team gets the compliance summary by mail, with
/// the HTML report attached, every `report_every` days at `reminders.at`.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct SummaryReportTests {
    @Test func thePrivacyTeamGetsTheSummaryOncePerPeriod() throws {
        let mail = try MailFixture()
        let fixture = mail.fixture
        let server = try mail.server()
        let done = fixture.account("done")
        try fixture.writeConfig(
            accounts: """
                  - {id: \(done), region: DE, done: [linkedin-genai-training-2025]}
                  - {id: \(fixture.account("pending")), region: DE}
                """,
            extra: """
                reminders: {at: "09:00"}
                messages: {from_name: "Example Privacy", subject_prefix: "[Privacy]"}
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(server.port)", starttls: off, to_owner: false, report_to: [team@example.org], report_every: 7d}
                """)
        let nine = Instant(iso: "2026-12-07T09:00:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(from: nine).status == 0)
        let reports = try mail.messages().filter { ($0.envelope["rcpt_tos"] as? [String]) == ["team@example.org"] }
        #expect(reports.count == 1)
        let report = try #require(reports.first?.mail)
        let subject = (report["headers"] as? [String: String])?["Subject"] ?? ""
        #expect(subject == "[Privacy] Opt-out compliance on 2026-12-07: 1 of 2 done", "\(subject)")
        // From and language as every other message says them.
        let headers = report["headers"] as? [String: String] ?? [:]
        #expect(headers["From"] == "Example Privacy <privacy@example.org>")
        #expect(headers["Content-Language"] == "en")
        let body = report["body"] as? String ?? ""
        #expect(body.contains("linkedin-genai-training-2025"))
        #expect(body.contains("50.0"))
        let attachments = report["attachments"] as? [[String: Any]] ?? []
        let html = try #require(attachments.first { ($0["content_type"] as? String) == "text/html" })
        #expect((html["filename"] as? String) == "opt-out-report-2026-12-07.html")
        #expect((html["content"] as? String)?.contains("<svg") == true)
        let sent = try fixture.entries(["MESSAGE_ID=\(MessageID.summaryReportSent)"])
        #expect(sent.count == 1)
        // The same day again, and six days later: nothing; a week later: the next one.
        #expect(try fixture.runOnce(at: 3600, from: nine).status == 0)
        #expect(try fixture.runOnce(at: 6 * 86_400, from: nine).status == 0)
        #expect(try mail.messages().count { ($0.envelope["rcpt_tos"] as? [String]) == ["team@example.org"] } == 1)
        #expect(try fixture.runOnce(at: 7 * 86_400, from: nine).status == 0)
        #expect(try mail.messages().count { ($0.envelope["rcpt_tos"] as? [String]) == ["team@example.org"] } == 2)
    }
}
