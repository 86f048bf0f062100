import Foundation
import OptOutCore
import Testing

/// One person, several accounts: a message about some of them knows of the others.
extension EmailTests {
    /// `first` (DE) and `second` (JP), one address; each region has its own change.
    func configurePerson(port: Int, accounts: [String]) throws {
        let lines = [
            "  - {id: \(fixture.account("first")), region: DE, email: pat@example.org, language: de}",
            "  - {id: \(fixture.account("second")), region: JP, email: pat@example.org, language: fr}",
        ]
        try fixture.writeConfig(
            accounts: accounts.map { name in lines.first { $0.contains(fixture.account(name)) }! }.joined(
                separator: "\n"),
            extra: """
                catalog: {builtin: false}
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(port)", starttls: off}
                policies:
                  - {id: de-change, platform: linkedin, title: A change in Germany, effective: 2026-12-15, deadline: 2026-12-15, regions: [DE], actions: [{id: de-switch, title: Switch the German one off, where: Settings}]}
                  - {id: jp-change, platform: linkedin, title: A change in Japan, effective: 2026-12-15, deadline: 2026-12-15, regions: [JP], actions: [{id: jp-switch, title: Switch the Japanese one off, where: Settings}]}
                """)
    }

    func headers(_ mail: [String: Any]) -> [String: String] { mail["headers"] as? [String: String] ?? [:] }

    /// The calendar attached to `mail`, its lines unfolded.
    func calendar(of mail: [String: Any]) -> String {
        let attachments = mail["attachments"] as? [[String: Any]] ?? []
        let text = attachments.first { $0["content_type"] as? String == "text/calendar" }?["content"] as? String
        return (text ?? "").replacingOccurrences(of: "\r\n ", with: "")
    }

    /// The first line of `calendar` that starts with `prefix`.
    func line(_ prefix: String, of calendar: String) -> String? {
        calendar.split(separator: "\r\n").first { $0.hasPrefix(prefix) }.map(String.init)
    }

    /// The mail received after a round found the configured accounts, `account` confirmed
    /// `action`, and the next round (a minute later) told of it.
    func mailsAfterConfirming(_ action: String, of account: String) throws -> [[String: Any]] {
        let start = Instant(iso: "2026-11-20T10:00:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: start).status == 0)
        #expect(try fixture.run(["ack", fixture.account(account), action]).status == 0)
        #expect(try fixture.runOnce(at: 60, from: start).status == 0)
        return try messages().map(\.mail)
    }

    /// One policy done while another policy of the same account is not: not "nothing left".
    @Test func aDonePolicyDoesNotHideTheAccountsOtherSteps() throws {
        let server = try mail.server()
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("first")), region: DE, email: pat@example.org}",
            extra: """
                catalog: {builtin: false}
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(server.port)", starttls: off}
                policies:
                  - {id: early-change, platform: linkedin, title: An early change, effective: 2026-12-15, deadline: 2026-12-15, regions: [DE], actions: [{id: early-switch, title: Switch the early one off, where: Settings}]}
                  - {id: late-change, platform: linkedin, title: A late change, effective: 2027-03-01, deadline: 2027-03-01, regions: [DE], actions: [{id: late-switch, title: Switch the late one off, where: Settings}]}
                """)
        let done = try #require(try mailsAfterConfirming("early-switch", of: "first").last)
        #expect(headers(done)["Subject"] == "Thank you, LinkedIn done: 1 more step still to do", "\(headers(done))")
        let body = done["body"] as? String ?? ""
        #expect(body.contains("One more step is still to do, due before 1 March 2027."), "\(body)")
    }

    /// One account done while the other is not: the message thanks for it and does not say
    /// that nothing is left, in the language of the person's first account that names one.
    @Test func aDoneAccountDoesNotHideTheOthersSteps() throws {
        let server = try mail.server()
        try configurePerson(port: server.port, accounts: ["first", "second"])
        let received = try mailsAfterConfirming("jp-switch", of: "second")
        #expect(received.count == 2)
        let done = try #require(received.last)
        // The opted-out notice is of the second account, whose language is French: the
        // person's messages stay in German, the language of their first account.
        #expect(headers(done)["Content-Language"] == "de")
        #expect(
            headers(done)["Subject"]
                == "Danke, LinkedIn (\(fixture.account("second"))) erledigt: noch ein Schritt zu tun",
            "\(headers(done))")
        let body = done["body"] as? String ?? ""
        #expect(body.contains("Alles Folgende ist erledigt. Vielen Dank!"))
        #expect(
            body.contains("Ein weiterer Schritt ist noch zu tun, fällig vor dem 15. Dezember 2026."),
            "\(body)")
        #expect(!body.contains("Nichts mehr zu tun"))
        // The day still has the first account's step: its calendar event is not cancelled.
        #expect(!calendar(of: done).contains("STATUS:CANCELLED"))
    }

    /// Everything done: the opted-out message cancels the day's event it had put in the
    /// person's calendar, so its alarm no longer goes off.
    @Test func optingOutCancelsTheCalendarEvent() throws {
        let server = try mail.server()
        try configurePerson(port: server.port, accounts: ["first"])
        let received = try mailsAfterConfirming("de-switch", of: "first")
        #expect(received.count == 2)
        let published = calendar(of: received[0])
        let cancelled = calendar(of: received[1])
        #expect(
            line("UID:", of: published) != nil && line("UID:", of: cancelled) == line("UID:", of: published))
        #expect(cancelled.contains("STATUS:CANCELLED"), "\(cancelled)")
        #expect(!cancelled.contains("BEGIN:VALARM"))
        let sequence = { (text: String) in Int(line("SEQUENCE:", of: text)?.dropFirst(9) ?? "") ?? -1 }
        #expect(sequence(cancelled) > sequence(published))
    }

    /// The calendar event of a day is the person's: a message about one account keeps the
    /// steps of their other accounts due that day, rather than replacing the event with less.
    @Test func theCalendarKeepsTheOtherAccountsStepsOfTheDay() throws {
        let server = try mail.server()
        try configurePerson(port: server.port, accounts: ["first"])
        let start = Instant(iso: "2026-11-20T10:00:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: start).status == 0)
        // The second account joins later: its first notice is a message of its own.
        try configurePerson(port: server.port, accounts: ["first", "second"])
        #expect(try fixture.runOnce(at: 60, from: start).status == 0)
        let received = try messages().map(\.mail)
        #expect(received.count == 2)
        let ics = calendar(of: try #require(received.last))
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == 1)
        #expect(ics.contains("Switch the Japanese one off"), "\(ics)")
        #expect(ics.contains("Switch the German one off"))
        let first = calendar(of: try #require(received.first))
        #expect(line("UID:", of: first) != nil && line("UID:", of: first) == line("UID:", of: ics))
    }
}
