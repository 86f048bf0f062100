import Foundation
import OptOutCore
import Testing

/// A message goes out a while after its notices were issued; it asks for what is pending then.
extension EmailTests {
    func configureTwoSwitches(port: Int) throws {
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("soren")), region: DE, email: soren@example.org}",
            extra: """
                catalog: {builtin: false}
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(port)", starttls: off, digest: daily}
                policies:
                  - {id: future-toggle, platform: linkedin, title: A future change, effective: 2026-12-15, deadline: 2026-12-15, regions: [DE], actions: [{id: first-switch, title: Switch the first off, where: Settings}, {id: second-switch, title: Switch the second off, where: Settings}]}
                """)
    }

    /// The digest of the morning after the first notices were found (after 09:00, so they
    /// wait for that round), once `action` was confirmed in between.
    func digestAfterConfirming(_ action: String) throws -> [(mail: [String: Any], envelope: [String: Any])] {
        let first = Instant(iso: "2026-11-20T12:00:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: first).status == 0)
        #expect(try messages().isEmpty)
        #expect(try fixture.run(["ack", fixture.account("soren"), action]).status == 0)
        let nextMorning = Instant(iso: "2026-11-21T09:05:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: nextMorning).status == 0)
        return try messages()
    }

    /// A digest waits for its round: a step confirmed meanwhile is not asked for again.
    @Test func aDigestAsksOnlyForWhatIsStillPendingWhenItGoesOut() throws {
        let server = try mail.server()
        try configureTwoSwitches(port: server.port)
        let received = try digestAfterConfirming("first-switch")
        #expect(received.count == 1)
        let body = received.first?.mail["body"] as? String ?? ""
        #expect(body.contains("[ ] 1. Switch the second off"), "\(body)")
        #expect(!body.contains("Switch the first off"))
        let headers = received.first?.mail["headers"] as? [String: String] ?? [:]
        #expect(headers["Subject"] == "Action needed before 15 December 2026: 1 LinkedIn setting")
    }

    /// Everything confirmed before the round: the waiting message says so rather than ask.
    @Test func aDigestWhoseStepsWereAllDoneMeanwhileSaysSo() throws {
        let server = try mail.server()
        try configureTwoSwitches(port: server.port)
        let received = try digestAfterConfirming("future-toggle")
        #expect(received.count == 1)
        let body = received.first?.mail["body"] as? String ?? ""
        #expect(body.contains("Everything below is done. Thank you!"), "\(body)")
        #expect(!body.contains("[ ]"))
    }
}
