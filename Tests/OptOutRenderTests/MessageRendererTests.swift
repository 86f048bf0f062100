import Foundation
import OptOutCore
import Testing

@testable import OptOutRender

/// Documents as the state store keeps them (their JSON), for rendering without a daemon.
enum Documents {
    static func make(
        account: String = "soren", name: String? = "Søren Ærø", language: String? = nil, policy: String = "p1",
        title: String = "Policy one", deadline: String = "2025-11-03", date: String = "2025-10-27",
        event: EventKind = .deadlineReminder,
        actions: [(id: String, title: String)] = [("toggle", "Turn off the toggle")], informational: Bool = false,
        platform: String = "linkedin"
    ) -> NoticeDocument {
        var account: [String: Any] = [
            "id": account, "platform": platform, "region": "DE", "email": "soren@example.org",
            "timezone": "Europe/Berlin",
        ]
        account["name"] = name
        account["language"] = language
        var policyObject: [String: Any] = [
            "id": policy, "title": title, "summary": "What \(title) does.", "effective": deadline,
            "deadline": deadline, "data_used": ["Posts"], "data_not_used": [], "shared_with": [],
            "sources": ["https://example.org/source"],
        ]
        if informational { policyObject["informational"] = true }
        let object: [String: Any] = [
            "version": 1, "test": false, "event": event.rawValue, "at": "\(date)T09:00:00+01:00", "date": date,
            "late": false, "days_left": 7, "message": "m", "account": account,
            "policy": policyObject,
            "pending": actions.map {
                ["id": $0.id, "title": $0.title, "where": "Settings → Privacy", "url": "https://example.org/\($0.id)"]
            },
        ]
        let data = try! JSONSerialization.data(withJSONObject: object)
        return try! JSONDecoder().decode(NoticeDocument.self, from: data)
    }
}

@Suite struct MessageRendererTests {
    func checklist(_ documents: [NoticeDocument], settings: MessageSettings = MessageSettings()) -> MailMessage {
        MessageRenderer(settings: settings).checklist(
            documents, to: "soren@example.org", from: "Privacy <privacy@example.org>",
            date: Instant(secondsSince1970: 0), messageID: "id@example.org")
    }

    @Test func anActionSharedByTwoPoliciesIsOneStepAndTheSubjectSaysWhatAndByWhen() {
        let mail = checklist([
            Documents.make(policy: "p1", title: "Policy one", actions: [("toggle", "Turn off the toggle")]),
            Documents.make(
                policy: "p2", title: "Policy two", deadline: "2025-12-01",
                actions: [("toggle", "Turn off the toggle"), ("form", "Send the objection form")]),
        ])
        #expect(mail.subject == "Action needed before 3 November 2025: 2 LinkedIn settings")
        #expect(mail.body.components(separatedBy: "Turn off the toggle").count == 2)
        #expect(mail.body.contains("[ ] 2. Send the objection form"))
        #expect(mail.body.contains("Policy one (LinkedIn)"))
        #expect(mail.body.contains("Policy two (LinkedIn)"))
        #expect(mail.body.contains("reply to this message"))
        #expect(!mail.body.contains("optoutd"))
        #expect(mail.language == "en")
        #expect(mail.attachments.count == 1)
    }

    /// A reminder of the day before that goes out on the deadline itself (a retry, a digest
    /// round) speaks of the day it is read: overdue, not "before" a day already begun.
    @Test func aReminderSentOnItsDeadlineSaysTheDeadlinePassed() {
        let reminder = Documents.make(deadline: "2027-01-20", date: "2027-01-19")
        func sent(_ at: String) -> MailMessage {
            MessageRenderer(settings: MessageSettings()).checklist(
                [reminder], to: "soren@example.org", from: "privacy@example.org",
                date: Instant(iso: at, defaultZone: .utc)!, messageID: "id@example.org")
        }
        #expect(sent("2027-01-19T08:00:00Z").subject == "Action needed before 20 January 2027: 1 LinkedIn setting")
        // 20 January has begun in Berlin, the account's zone, at 23:30 UTC on the 19th.
        let late = sent("2027-01-19T23:30:00Z")
        #expect(late.subject == "Overdue since 20 January 2027: 1 LinkedIn setting")
        #expect(late.body.contains("Before: 20 January 2027 (passed)\n"))
    }

    /// Some steps overdue and others not yet: the message says both, so the later steps
    /// do not read as late.
    @Test func overdueAndUpcomingStepsAreToldApart() {
        func documents(_ language: String? = nil) -> [NoticeDocument] {
            [
                Documents.make(
                    language: language, policy: "p1", title: "Policy one", deadline: "2027-01-20", date: "2027-02-03"),
                Documents.make(
                    language: language, policy: "p2", title: "Policy two", deadline: "2027-02-15", date: "2027-02-03",
                    actions: [("form", "Send the objection form")]),
            ]
        }
        let english = checklist(documents())
        #expect(english.subject == "Overdue since 20 January 2027, more before 15 February 2027: 2 LinkedIn settings")
        #expect(
            english.body.contains(
                "A deadline passed on 20 January 2027;\nthe next comes before 15 February 2027."))
        #expect(
            checklist(documents("de")).subject
                == "Überfällig seit 20. Januar 2027, weitere vor dem 15. Februar 2027: 2 Einstellungen bei LinkedIn")
        #expect(
            checklist(documents("fr")).subject.hasPrefix(
                "En retard depuis le 20 janvier 2027, d’autres avant le 15 février 2027"))
        // All overdue: one deadline, as before.
        #expect(!checklist([documents()[0]]).subject.contains("more before"))
    }

    /// A deadline is one event in the person's calendar, whichever of their accounts a
    /// message covers: a later message updates it rather than adding another.
    @Test func aDeadlineKeepsItsCalendarEventFromMessageToMessage() {
        func uid(_ mail: MailMessage) -> Substring? {
            String(decoding: mail.attachments.first?.bytes ?? [], as: UTF8.self).split(separator: "\r\n")
                .first { $0.hasPrefix("UID:") }
        }
        let both = checklist([Documents.make(account: "chan.page"), Documents.make(account: "chan.profile")])
        let one = checklist([Documents.make(account: "chan.profile")])
        #expect(uid(both) != nil && uid(both) == uid(one))
        #expect(uid(both)?.hasPrefix("UID:20251103-") == true)
        #expect(uid(both)?.contains("soren") == false, "the address does not show")
        #expect(
            MessageRenderer.eventUID(deadline: CivilDate(iso: "2025-11-03")!, recipient: "other@example.org")
                != MessageRenderer.eventUID(deadline: CivilDate(iso: "2025-11-03")!, recipient: "soren@example.org"))
    }

    /// A person's two accounts of one platform with the same name are told apart by id.
    @Test func twoAccountsWithOneNameAreToldApart() {
        let mail = checklist([
            Documents.make(account: "chan.page", name: "Chan Ka-ming"),
            Documents.make(account: "chan.profile", name: "Chan Ka-ming"),
        ])
        #expect(mail.body.contains("LinkedIn (Chan Ka-ming, chan.page)\n"), "\(mail.body)")
        #expect(mail.body.contains("LinkedIn (Chan Ka-ming, chan.profile)\n"))
        // and in the calendar, where the day's steps of both are one event
        let calendar = String(decoding: mail.attachments.first?.bytes ?? [], as: UTF8.self)
        #expect(calendar.contains("DESCRIPTION:chan.page: Turn off the toggle"), "\(calendar)")
        let named = checklist([
            Documents.make(account: "chan.page", name: "Chan's page"),
            Documents.make(account: "chan.profile", name: nil),
        ])
        #expect(named.body.contains("LinkedIn (Chan's page)\n") && named.body.contains("LinkedIn (chan.profile)\n"))
    }

    @Test func aSharedActionKeepsTheEarliestDeadlineWhicheverPolicyComesFirst() {
        let mail = checklist([
            Documents.make(policy: "p2", title: "Policy two", deadline: "2025-12-01", date: "2025-11-10"),
            Documents.make(policy: "p1", title: "Policy one", deadline: "2025-11-03", date: "2025-11-10"),
        ])
        #expect(mail.subject == "Overdue since 3 November 2025: 1 LinkedIn setting")
        #expect(mail.body.contains("[ ] 1. Turn off the toggle\n"))
        #expect(mail.body.contains("Before: 3 November 2025 (passed)\n"))
        #expect(!mail.body.contains("Before: 1 December 2025"))
    }

    @Test func theAccountsLanguageWritesTheSubjectAndTheDates() {
        let german = checklist([Documents.make(language: "de")])
        #expect(german.subject == "Bitte handeln vor dem 3. November 2025: 1 Einstellung bei LinkedIn")
        #expect(german.body.contains("Guten Tag Søren Ærø,"))
        #expect(german.language == "de")
        let french = checklist([Documents.make(language: "fr")])
        #expect(french.subject == "Action requise avant le 3 novembre 2025\u{202F}: 1 réglage LinkedIn")
        // Without a language of its own, the configured default.
        let defaulted = checklist([Documents.make()], settings: MessageSettings(language: "fr"))
        #expect(defaulted.language == "fr")
    }

    @Test func htmlEscapesWhatItInsertsAndTheTextPartDoesNot() {
        let mail = checklist(
            [Documents.make(name: "Ann <b>&</b>", title: "Ads & \"AI\" <script>")],
            settings: MessageSettings(contact: "Privacy <privacy@example.org>"))
        let html = mail.html ?? ""
        #expect(html.contains("Hello Ann &lt;b&gt;&amp;&lt;/b&gt;,"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(mail.body.contains("Hello Ann <b>&</b>,"))
        #expect(mail.body.contains("Ads & \"AI\" <script> (LinkedIn)"))
        #expect(mail.body.contains("When you are done, reply to Privacy <privacy@example.org>."))
    }

    @Test func thePrefixFromNameAndFooterComeFromTheSettings() {
        let mail = checklist(
            [Documents.make()],
            settings: MessageSettings(
                fromName: "Datenschutz Team", subjectPrefix: "[Privacy]", footer: "The privacy team"))
        #expect(mail.subject.hasPrefix("[Privacy] Action needed before"))
        #expect(mail.from == "Datenschutz Team <privacy@example.org>")
        #expect(mail.body.hasSuffix("-- \nThe privacy team\n"))
    }

    @Test func aSummaryShowsAtMostFiftyRowsAndSaysHowManyMore() {
        let documents = (1...60).map { Documents.make(account: "user\($0)", name: nil) }
        let mail = MessageRenderer(settings: MessageSettings()).summary(
            documents, day: CivilDate(iso: "2025-10-27")!, to: "team@example.org", from: "privacy@example.org",
            date: Instant(secondsSince1970: 0), messageID: "id@example.org")
        let rows = mail.body.split(separator: "\n").filter { $0.hasPrefix("user") }
        #expect(rows.count == 50)
        #expect(mail.body.contains("and 10 more."))
        #expect(mail.subject == "Opt-out notices of 27 October 2025: 60 notices for 60 accounts")
        #expect((mail.html ?? "").components(separatedBy: "<tr><td>").count == 51)
    }
}

extension MessageRendererTests {
    /// With a confirmation link, a person confirms there, and replies only with a question:
    /// the mail does not also ask for a reply when done.
    @Test func aMailWithALinkAsksForNoReplyWhenDone() {
        let document = Documents.make()
        let plain = checklist([document])
        #expect(plain.body.contains("When you are done, reply to this message."))
        let linked = MessageRenderer(settings: MessageSettings()).checklist(
            [document], to: "soren@example.org", from: "privacy@example.org", date: Instant(secondsSince1970: 0),
            messageID: "id@example.org", confirmURL: "https://optoutd.example.org/c/TOKEN")
        #expect(linked.body.contains("tell us in two clicks:\nhttps://optoutd.example.org/c/TOKEN"))
        #expect(!linked.body.contains("When you are done, reply"))
        #expect(linked.body.contains("or you have a question,\nreply to this message."))
        #expect(!(linked.html ?? "").contains("When you are done, reply"))
    }

    /// A change found done in the same round as others still to do is thanked for, and
    /// its description no longer asks to opt out.
    @Test func aDoneChangeInAMailWithStepsLeftIsSaidDone() {
        let mail = checklist([
            Documents.make(policy: "p1", title: "Policy one"),
            Documents.make(policy: "p2", title: "Policy two", event: .optedOut, actions: []),
        ])
        #expect(mail.body.contains("\nDone, thank you: Policy two (LinkedIn).\n"), "\(mail.body)")
        #expect(mail.body.contains("; you have opted out."))
        #expect(mail.body.contains("; opt out before 3 November 2025."))
        #expect(mail.html?.contains("<p>Done, thank you: Policy two (LinkedIn).</p>") == true)
        // Alone, it is the whole message: nothing to do, and no separate thanks.
        let alone = checklist([Documents.make(policy: "p2", title: "Policy two", event: .optedOut, actions: [])])
        #expect(alone.body.contains("Everything below is done. Thank you!"))
        #expect(!alone.body.contains("Done, thank you:"))
    }

    /// Once its deadline has passed, a change's description no longer asks to opt out
    /// before a day that is gone, in any language.
    @Test func aPassedDeadlineIsNotAskedFor() {
        let late = Documents.make(deadline: "2025-11-03", date: "2025-11-10", event: .overdue)
        #expect(checklist([late]).body.contains("; the deadline to opt out was before 3 November 2025."))
        #expect(!checklist([late]).body.contains("; opt out before 3 November 2025."))
        let german = checklist([Documents.make(language: "de", deadline: "2025-11-03", date: "2025-11-10")])
        #expect(german.body.contains("; die Frist zum Widerspruch endete vor dem 3. November 2025."))
        #expect(german.body.contains("Die Frist ist abgelaufen: Die Einstellung war\nvor dem 3. November 2025"))
        let french = checklist([Documents.make(language: "fr", deadline: "2025-11-03", date: "2025-11-10")])
        #expect(french.body.contains("\u{202F}; il fallait s’opposer avant le 3 novembre 2025."), "\(french.body)")
    }

    /// A change with nothing to do has no deadline to meet: the summary says so, after the
    /// rows that have one.
    @Test func aSummaryShowsNoDeadlineForAChangeWithoutAnOptOut() {
        let documents = [
            Documents.make(account: "anna", policy: "chats", deadline: "2025-01-01", actions: [], informational: true),
            Documents.make(account: "ben", policy: "training", deadline: "2025-11-03"),
        ]
        let mail = MessageRenderer(settings: MessageSettings()).summary(
            documents, day: CivilDate(iso: "2025-10-27")!, to: "team@example.org", from: "privacy@example.org",
            date: Instant(secondsSince1970: 0), messageID: "id@example.org")
        let rows = mail.body.split(separator: "\n").filter { $0.hasPrefix("anna") || $0.hasPrefix("ben") }
        #expect(rows.count == 2)
        #expect(rows.first?.contains("| 3 November 2025 |") == true, "\(rows)")
        #expect(rows.last?.contains("| no opt-out |") == true, "\(rows)")
    }
}

@Suite struct MessageTemplatesTests {
    @Test func anOverrideReplacesOneTemplateOfOneLanguage() {
        let overrides = [
            "de/subject": TemplateText(path: "/etc/optoutd/templates/de/subject.mustache", text: "Frist {{deadline}}\n")
        ]
        let renderer = MessageRenderer(settings: MessageSettings(templateOverrides: overrides))
        let date = Instant(secondsSince1970: 0)
        let german = renderer.checklist(
            [Documents.make(language: "de")], to: "a@example.org", from: "p@example.org", date: date, messageID: "i@x")
        #expect(german.subject == "Frist 3. November 2025")
        // The other templates of that language, and every other language, stay shipped.
        #expect(german.body.contains("Guten Tag"))
        let english = renderer.checklist(
            [Documents.make()], to: "a@example.org", from: "p@example.org", date: date, messageID: "i@x")
        #expect(english.subject == "Action needed before 3 November 2025: 1 LinkedIn setting")
    }

    @Test func aBrokenTemplateIsReportedWithItsPlace() throws {
        let source = TemplateText(path: "/t/en/text.mustache", text: "Hello\n{{#groups}}\n{{/policies}}\n")
        let problem = try #require(MessageTemplates.problem(in: source, as: .text))
        #expect(problem.path == "/t/en/text.mustache")
        #expect(problem.line == 3)
        #expect(problem.description.hasPrefix("/t/en/text.mustache:3:"))
        #expect(problem.description.contains(": error: not a valid Mustache template"))
        let firstLine = try #require(
            MessageTemplates.problem(in: TemplateText(path: "s", text: "ab {{#x}"), as: .subject))
        #expect(firstLine.line == 1)
        #expect(firstLine.column < 10)
    }

    /// The parser descends once per section: nesting deep enough to overflow its stack is
    /// refused before it reads the template, at the first section too deep.
    @Test func sectionsNestedTooDeepAreRefusedWithTheirPlace() throws {
        let limit = TemplateTags.nestingLimit
        let deepest = String(repeating: "{{#a}}", count: limit) + "x" + String(repeating: "{{/a}}", count: limit)
        #expect(MessageTemplates.problem(in: TemplateText(path: "t", text: deepest), as: .text) == nil)
        let bomb = "Hello\n" + String(repeating: "{{#a}}", count: 5000)
        let problem = try #require(MessageTemplates.problem(in: TemplateText(path: "t", text: bomb), as: .text))
        #expect(
            problem.description
                == "t:2:\(6 * limit + 1): error: not a valid Mustache template: sections are nested more than \(limit) deep"
        )
        // Inverted sections count too, and so do sections under changed delimiters.
        let inverted = String(repeating: "{{^a}}", count: limit + 1)
        #expect(TemplateTags.problem(in: inverted)?.column == 6 * limit + 1)
        let changed = "{{=<% %>=}}" + String(repeating: "<%# a %>", count: limit + 1)
        #expect(TemplateTags.problem(in: changed)?.column == 12 + 8 * limit)
        // Sections opened and closed one after the other do not add up.
        let flat = String(repeating: "{{#a}}x{{/a}}", count: 10 * limit)
        #expect(MessageTemplates.problem(in: TemplateText(path: "t", text: flat), as: .html) == nil)
    }

    @Test func aTagNeverClosedIsNamedAsSuch() throws {
        let problem = try #require(
            MessageTemplates.problem(in: TemplateText(path: "t", text: "Grüße\nab {{name"), as: .subject))
        #expect(problem.description == "t:2:4: error: not a valid Mustache template: a tag is not finished")
    }

    /// Every file of `Config/templates/` is compiled into the binary, and every one compiles.
    @Test func everyShippedTemplateIsEmbedded() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/templates")
        var shipped: [String] = []
        for language in try FileManager.default.contentsOfDirectory(atPath: root.path) {
            for file in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(language).path)
            {
                shipped.append("\(language)/\(file.replacingOccurrences(of: ".mustache", with: ""))")
            }
        }
        let embedded = MessageLanguage.allCases.flatMap { language in
            MessageTemplates.Name.allCases.map { MessageTemplates.key(language, $0) }
        }
        #expect(shipped.sorted() == embedded.sorted())
        for language in MessageLanguage.allCases {
            for name in MessageTemplates.Name.allCases {
                let text = String(decoding: BuiltinTemplates.bytes(language, name), as: UTF8.self)
                let onDisk = try String(
                    contentsOf: root.appendingPathComponent("\(language.rawValue)/\(name.rawValue).mustache"),
                    encoding: .utf8)
                #expect(text == onDisk)
                #expect(MessageTemplates.problem(in: TemplateText(path: "x", text: text), as: name) == nil)
            }
        }
    }
}
