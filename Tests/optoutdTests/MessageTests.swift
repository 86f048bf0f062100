import Foundation
import OptOutCore
import Testing

/// What people read: one message per person per round, in their language, with the
/// deadlines as a calendar; a bounded summary for the copy address. Mails go to a real
/// SMTP server (python3-aiosmtpd) and are read back with Python's email package.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct MessageTests {
    let mail: MailFixture

    init() throws {
        mail = try MailFixture()
    }

    var fixture: DaemonFixture { mail.fixture }

    func configure(_ server: LocalServer, accounts: String, email: String = "", extra: String = "") throws {
        try fixture.writeConfig(
            accounts: accounts,
            extra: """
                channels:
                  email:
                    from: "Privacy <privacy@example.org>"
                    transport: smtp://127.0.0.1:\(server.port)
                    starttls: off
                \(email.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                \(extra)
                """)
    }

    /// 27 October 2025 in Berlin, a week before the LinkedIn deadline of 3 November.
    static let weekBefore = Instant(iso: "2025-10-27T10:00:00+01:00", defaultZone: .utc)!

    @Test func onePersonGetsOneMessageForThreePoliciesAndTwoAccounts() throws {
        let server = try mail.server()
        // GB on LinkedIn: the 2024 change (until the UK's pause), genai 2025 and affiliate
        // sharing, three of which ask for the same toggle; and an X account, same address.
        try configure(
            server,
            accounts: """
                  - {id: \(fixture.account("uk")), region: GB, name: Chan Ka-ming, email: chan@example.org}
                  - {id: \(fixture.account("x")), platform: x, region: GB, email: chan@example.org}
                """)
        #expect(try fixture.runOnce().status == 0)
        let received = try mail.messages()
        #expect(received.count == 1)
        let message = try #require(received.first?.mail)
        let headers = message["headers"] as? [String: String] ?? [:]
        let subject = headers["Subject"] ?? ""
        #expect(subject.hasPrefix("Overdue since "))
        #expect(subject.hasSuffix(": 6 LinkedIn and X settings"))
        #expect(!subject.contains("linkedin-") && !subject.contains(fixture.tag) && !subject.contains("optoutd"))
        #expect(headers["Content-Language"] == "en")
        let body = message["body"] as? String ?? ""
        #expect(body.hasPrefix("Hello Chan Ka-ming,\n"))
        // Each action once: five LinkedIn switches (the toggle once for three policies), one on X.
        let steps = body.split(separator: "\n").filter { $0.hasPrefix("[ ] ") }
        #expect(steps.count == 6)
        #expect(Set(steps.map { $0.drop { $0 != "." }.dropFirst(2) }).count == 6)
        #expect(body.components(separatedBy: ". Turn off Data for Generative AI Improvement\n").count == 2)
        #expect(body.contains("\nLinkedIn\n[ ] "))
        #expect(body.contains("\nX\n[ ] 1. "))
        // Each policy once under what changes, with its platform.
        let changes = body.components(separatedBy: "What changes\n============\n").last ?? ""
        #expect(changes.components(separatedBy: " (LinkedIn)\n").count - 1 == 3)
        // On X, Grok training and the licence in its terms, which offers no opt-out.
        #expect(changes.components(separatedBy: " (X)\n").count - 1 == 2)
        #expect(changes.contains("; there is no way to opt out."))
        // The calendar: published, one all-day event per deadline, each with an alarm.
        let attachments = message["attachments"] as? [[String: Any]] ?? []
        let calendar = try #require(attachments.first { $0["content_type"] as? String == "text/calendar" })
        #expect(calendar["method"] as? String == "PUBLISH")
        #expect(calendar["filename"] as? String == "opt-out-deadlines.ics")
        let ics = calendar["content"] as? String ?? ""
        #expect(ics.contains("METHOD:PUBLISH"))
        let events = ics.components(separatedBy: "BEGIN:VEVENT").count - 1
        #expect(events == 3)
        #expect(ics.components(separatedBy: "BEGIN:VALARM").count - 1 == events)
        #expect(ics.contains("DTSTART;VALUE=DATE:20251102"))
        #expect(ics.contains("URL:https://"))
        // The HTML part says the same, escaped.
        let html = message["html"] as? String ?? ""
        #expect(html.contains("<li value=\"2\"><strong>Turn off Data for Generative AI Improvement</strong>"))
        #expect(html.contains("Settings &amp; Privacy"))
        // On a phone's width, in a real browser, its long links wrap rather than widen it.
        #expect(html.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1">"#))
        let page = fixture.directory.appendingPathComponent("message.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let rendered = try Optoutd.runTool(
            "/usr/bin/python3",
            [Optoutd.repository.appendingPathComponent("Tests/support/render_report.py").path, page.path])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(rendered.stdout.utf8)) as? [String: Any])
        let narrow = try #require(shown["narrow"] as? [String: Int])
        #expect((narrow["scrollWidth"] ?? .max) <= (narrow["clientWidth"] ?? 0), "\(narrow)")
        // The journal still has one entry per notice.
        let notices = try fixture.notices().filter { $0["OPTOUT_ACCOUNT"]?.hasPrefix(fixture.tag) == true }
        #expect(notices.count == 5)
        #expect(Set(notices.compactMap { $0["OPTOUT_POLICY"] }).count == 5)
    }

    @Test func germanAndFrenchAccountsGetTheirLanguageAndDates() throws {
        let server = try mail.server()
        let csv = fixture.directory.appendingPathComponent("accounts.csv")
        try "id,region,email,name,language\n\(fixture.account("fr")),FR,claire@example.org,Claire,fr\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        try configure(
            server,
            accounts: "  - {id: \(fixture.account("de")), region: DE, email: anna@example.org, language: de}",
            extra: "accounts_files: [accounts.csv]\nmessages:\n  contact: datenschutz@example.org")
        #expect(try fixture.runOnce(from: Self.weekBefore).status == 0)
        let received = try mail.byRecipient()
        let german = try #require(received["anna@example.org"])
        let germanHeaders = german["headers"] as? [String: String] ?? [:]
        #expect(germanHeaders["Subject"] == "Bitte handeln vor dem 3. November 2025: 2 Einstellungen bei LinkedIn")
        #expect(germanHeaders["Content-Language"] == "de")
        let germanBody = german["body"] as? String ?? ""
        #expect(germanBody.contains("Bitte schalten Sie Folgendes vor dem 3. November 2025 aus."))
        #expect(germanBody.contains("Wenn Sie fertig sind, antworten Sie bitte an datenschutz@example.org."))
        let french = try #require(received["claire@example.org"])
        let frenchHeaders = french["headers"] as? [String: String] ?? [:]
        #expect(frenchHeaders["Subject"] == "Action requise avant le 3 novembre 2025\u{202F}: 2 réglages LinkedIn")
        #expect(frenchHeaders["Content-Language"] == "fr")
        #expect((french["body"] as? String)?.contains("Bonjour Claire,") == true)
        #expect((french["html"] as? String)?.contains("<html lang=\"fr\">") == true)
    }

    @Test func theCopyToThePrivacyTeamIsABoundedSummary() throws {
        let server = try mail.server()
        let accounts = (1...60).map { "  - {id: \(fixture.account("p\($0)")), region: DE}" }.joined(separator: "\n")
        try configure(server, accounts: accounts, email: "cc: [team@example.org]")
        #expect(try fixture.runOnce().status == 0)
        let received = try mail.messages()
        #expect(received.count == 1)
        let summary = try #require(received.first?.mail)
        let headers = summary["headers"] as? [String: String] ?? [:]
        #expect(headers["To"] == "team@example.org")
        #expect(headers["Subject"]?.hasSuffix(": 60 notices for 60 accounts") == true)
        let body = summary["body"] as? String ?? ""
        #expect(body.split(separator: "\n").filter { $0.hasPrefix(fixture.tag) }.count == 50)
        #expect(body.contains("and 10 more. To see every notice, run `optoutd status`"))
        #expect(body.contains("People with an address: 0; accounts without one: 60."))
        #expect(body.utf8.count < 10_000)
        let html = summary["html"] as? String ?? ""
        #expect(html.components(separatedBy: "<tr><td>").count - 1 == 50)
    }

    @Test func aTemplateBesideTheConfigurationReplacesTheShippedOne() throws {
        let server = try mail.server()
        let templates = try fixture.subdirectory("templates/en")
        try "{{#prefix}}{{prefix}} {{/prefix}}Bitte {{platforms}} bis {{deadline}}\n".write(
            to: templates.appendingPathComponent("subject.mustache"), atomically: true, encoding: .utf8)
        try configure(
            server, accounts: "  - {id: \(fixture.account("a")), region: DE, email: a@example.org}",
            extra: "messages:\n  subject_prefix: \"[Privacy]\"\n  from_name: Datenschutz")
        #expect(try fixture.runOnce(from: Self.weekBefore).status == 0)
        let message = try #require(try mail.messages().first?.mail)
        let headers = message["headers"] as? [String: String] ?? [:]
        #expect(headers["Subject"] == "[Privacy] Bitte LinkedIn bis 3 November 2025")
        #expect(headers["From"] == "Datenschutz <privacy@example.org>")
        // The other templates stay the shipped ones.
        #expect((message["body"] as? String)?.hasPrefix("Hello,\n") == true)
    }
}

/// `check` on what messages need: languages, templates, accounts nothing but the journal reaches.
@Suite struct MessageConfigurationTests {
    let fixture: DaemonFixture

    init() throws {
        fixture = try DaemonFixture()
    }

    func check(accounts: String, extra: String = "") throws -> Optoutd.Result {
        try fixture.writeConfig(accounts: accounts, extra: extra)
        return try Optoutd.run(["check", "--config", fixture.configPath])
    }

    static let ownersOnly = "channels:\n  email: {from: privacy@example.org, transport: \"smtp://127.0.0.1:25\"}"

    @Test func checkCountsTheAccountsOnlyTheJournalReaches() throws {
        let accounts = (1...5).map { "  - {id: quiet\($0), region: DE}" }.joined(separator: "\n")
        let result = try check(
            accounts: accounts + "\n  - {id: reachable, region: DE, email: r@example.org}", extra: Self.ownersOnly)
        #expect(result.status == 0, "\(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
        #expect(warnings.count == 1)
        #expect(
            warnings.first?.hasSuffix(
                "warning: 5 accounts have no e-mail address and mail has no cc: only the journal reaches them (quiet1, quiet2, quiet3, …)"
            ) == true)
        // A copy address reaches them all: no warning.
        let copied = try check(
            accounts: accounts,
            extra: "channels:\n  email: {from: p@example.org, transport: \"smtp://127.0.0.1:25\", cc: [t@example.org]}")
        #expect(!copied.stderr.contains("warning"))
        // Neither the owners nor a copy: mail reaches nobody, and check says so.
        let nobody = try check(
            accounts: accounts,
            extra: "channels:\n  email: {from: p@example.org, transport: \"smtp://127.0.0.1:25\", to_owner: false}")
        #expect(nobody.stderr.contains("warning: mail goes to nobody: to_owner is false and there is no cc"))
    }

    @Test func anUnknownLanguageIsALocatedError() throws {
        let result = try check(accounts: "  - {id: a, region: DE, language: es}")
        #expect(result.status == 78)
        #expect(
            result.stderr.contains(
                "\(fixture.configPath):6:35: error: unknown language 'es'; optoutd ships templates for en, de, fr"))
        let messages = try check(accounts: "  - {id: a, region: DE}", extra: "messages:\n  language: pt")
        #expect(messages.status == 78)
        #expect(messages.stderr.contains("\(fixture.configPath):5:13: error: "))
    }

    @Test func aBrokenTemplateOverrideIsALocatedError() throws {
        let templates = try fixture.subdirectory("templates/de")
        let path = templates.appendingPathComponent("text.mustache").path
        try "Hallo\n{{#groups}}\n{{/policies}}\n".write(toFile: path, atomically: true, encoding: .utf8)
        try "x".write(
            toFile: templates.appendingPathComponent("subjekt.mustache").path, atomically: true, encoding: .utf8)
        let result = try check(accounts: "  - {id: a, region: DE}")
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(path):3:"))
        #expect(result.stderr.contains(": error: not a valid Mustache template"))
        #expect(result.stderr.contains("subjekt.mustache:1:1: warning: not a template name"))
    }

    /// A few kilobytes of nested sections once overflowed the parser's stack: `check` (and a
    /// daemon's reload) ended by a signal.
    @Test func aTemplateNestedThousandsDeepIsALocatedErrorNotACrash() throws {
        let templates = try fixture.subdirectory("templates/en")
        let path = templates.appendingPathComponent("subject.mustache").path
        try String(repeating: "{{#a}}", count: 5000).write(toFile: path, atomically: true, encoding: .utf8)
        let result = try check(accounts: "  - {id: a, region: DE}")
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(path):1:385: error: not a valid Mustache template: sections are nested"))
    }
}

/// A round larger than the outbox reads at once: the copy address still gets one summary.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct LargeRoundTests {
    @Test func aCopyAddressGetsOneSummaryForAWholeRound() throws {
        let mail = try MailFixture()
        let fixture = mail.fixture
        let server = try mail.server()
        // 200 Canadian accounts with no address of their own: four LinkedIn policies each,
        // 800 notices for the copy address, more than one read of the outbox holds.
        let accounts = (0..<200).map { "  - {id: \(fixture.account("c\($0)")), region: CA}" }
        try fixture.writeConfig(
            accounts: accounts.joined(separator: "\n"),
            extra: """
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(server.port)", starttls: off, cc: [team@example.org]}
                """)
        #expect(try fixture.runOnce().status == 0)
        let received = try mail.messages()
        #expect(received.count == 1)
        let body = received.first?.mail["body"] as? String ?? ""
        #expect(body.contains("and 750 more"), "\(body.prefix(2000))")
    }
}
