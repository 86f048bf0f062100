import Foundation
import Testing

/// An SMTP server's refusal, quoted in the delivery error.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct SMTPReplyTests {
    @Test func aRefusedRecipientShowsTheServersReply() throws {
        let fixture = try DaemonFixture()
        let server = try LocalServer(
            script: "refusing_smtp_server.py", ["550 5.1.1 <soren@example.org>: no such mailbox here"])
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("soren")), region: DK, email: soren@example.org}",
            extra: """
                channels:
                  email:
                    from: privacy@example.org
                    transport: smtp://127.0.0.1:\(server.port)
                    starttls: off
                """)
        #expect(try fixture.runOnce().status == 0)
        let status = try fixture.run(["status"])
        #expect(
            status.stdout.contains("email: smtp: ")
                && status.stdout.contains("550 5.1.1 <soren@example.org>: no such mailbox here"), "\(status.stdout)")
    }
}
