import OptOutCore
import Testing

@testable import OptOutRender

/// The sentence before the checklist says what is late and what is due when, and is true
/// for every step below it, however many deadlines they have.
struct MessageOpeningTests {
    func checklist(_ documents: [NoticeDocument]) -> MailMessage {
        MessageRenderer(settings: MessageSettings()).checklist(
            documents, to: "soren@example.org", from: "Privacy <privacy@example.org>",
            date: Instant(secondsSince1970: 0), messageID: "id@example.org")
    }

    func step(_ policy: String, deadline: String, action: String, language: String? = nil) -> NoticeDocument {
        Documents.make(
            language: language, policy: policy, title: "Policy \(policy)", deadline: deadline, date: "2027-02-03",
            actions: [(action, "Turn off \(action)")])
    }

    /// Two deadlines passed and two ahead: the first of each is named, as the first only.
    var mixed: [NoticeDocument] {
        [
            step("a", deadline: "2027-01-20", action: "one"), step("b", deadline: "2027-01-25", action: "two"),
            step("c", deadline: "2027-02-15", action: "three"), step("d", deadline: "2027-03-01", action: "four"),
        ]
    }

    @Test func severalPassedDeadlinesAreNotOne() {
        let mail = checklist(mixed)
        #expect(
            mail.body.contains(
                "Deadlines passed, the first on 20 January 2027;\nthe next comes before 15 February 2027."
            ),
            "\(mail.body)")
        #expect(!mail.body.contains("the others"))
        let allPassed = checklist(Array(mixed.prefix(2)))
        #expect(allPassed.body.contains("The deadlines passed, the first on 20 January 2027.\nTurning these off now"))
        let onePassed = checklist([mixed[0]])
        #expect(onePassed.body.contains("The deadline passed on 20 January 2027.\nTurning it off now"))
        let german = [
            step("a", deadline: "2027-01-20", action: "one", language: "de"),
            step("b", deadline: "2027-01-25", action: "two", language: "de"),
            step("c", deadline: "2027-02-15", action: "three", language: "de"),
        ]
        #expect(
            checklist(german).body.contains(
                "Fristen sind abgelaufen, die erste seit dem 20. Januar 2027;\ndie nächste endet vor dem 15. Februar 2027."
            ))
    }

    @Test func stepsAheadWithSeveralDeadlinesNameTheFirstAsTheFirst() {
        let ahead = checklist(Array(mixed.suffix(2)))
        #expect(
            ahead.body.contains("Please turn these off, the first before 15 February 2027.\nEach takes a minute:"),
            "\(ahead.body)")
        let one = checklist([mixed[2]])
        #expect(one.body.contains("Please turn this off before 15 February 2027. It takes a minute:"))
        let french = checklist([step("c", deadline: "2027-02-15", action: "three", language: "fr")])
        #expect(
            french.body.contains(
                "Merci de désactiver ce qui suit avant le 15 février 2027. Cela prend environ\nune minute\u{202F}:"))
    }

    /// A switch that another policy asked for earlier is due by that earlier day in every
    /// message, as on the page, even when only the later policy's notice is in this one.
    @Test func aSwitchIsDueByItsEarliestDeadlineAcrossPolicies() {
        let later = step("c", deadline: "2027-02-15", action: "three")
        let mail = MessageRenderer(settings: MessageSettings()).checklist(
            [later], to: "soren@example.org", from: "privacy@example.org", date: Instant(secondsSince1970: 0),
            messageID: "m",
            standing: RecipientStanding(deadlines: ["soren": ["three": CivilDate(iso: "2027-01-20")!]]))
        #expect(mail.subject == "Overdue since 20 January 2027: 1 LinkedIn setting")
        #expect(mail.body.contains("Before: 20 January 2027 (passed)\n"), "\(mail.body)")
    }

    /// The link opens the checklist; its words do not claim that following it records anything.
    @Test func theLinkSaysItOpensTheChecklist() throws {
        let documents = [mixed[2]]
        let mail = MessageRenderer(settings: MessageSettings()).checklist(
            documents, to: "soren@example.org", from: "Privacy <privacy@example.org>",
            date: Instant(secondsSince1970: 0), messageID: "id@example.org", confirmURL: "https://example.org/c/T")
        let html = try #require(mail.html)
        #expect(
            html.contains(#"<a href="https://example.org/c/T">open your checklist</a> and tick what you have done."#))
        #expect(mail.body.contains("When you have switched it off, tell us in two clicks:\nhttps://example.org/c/T"))
    }
}

/// The checklist is grouped by platform, the most pressing platform first.
struct ChecklistOrderTests {
    @Test func accountsOfOnePlatformStayTogether() {
        func step(_ account: String, platform: String, deadline: String) -> NoticeDocument {
            Documents.make(
                account: account, name: account, policy: "p-\(account)", title: "Policy \(account)",
                deadline: deadline, date: "2026-11-01", actions: [("switch-\(account)", "Switch \(account)")],
                platform: platform)
        }
        let mail = MessageRenderer(settings: MessageSettings()).checklist(
            [
                step("li-jp", platform: "linkedin", deadline: "2026-11-10"),
                step("fb-fr", platform: "facebook", deadline: "2026-11-20"),
                step("li-de", platform: "linkedin", deadline: "2026-12-01"),
            ], to: "pat@example.org", from: "privacy@example.org", date: Instant(secondsSince1970: 0), messageID: "m")
        let headings = mail.body.split(separator: "\n").filter { $0.hasPrefix("LinkedIn") || $0.hasPrefix("Facebook") }
        #expect(headings == ["LinkedIn (li-jp)", "LinkedIn (li-de)", "Facebook"], "\(mail.body)")
    }
}

/// A message about one of a person's two accounts on a platform says which one it is.
struct AccountNamingTests {
    @Test func theAccountIsNamedWhenThePersonHasAnotherOnThePlatform() {
        func account(_ id: String) -> Account {
            Account(
                id: id, platform: "linkedin", region: CountryCode(letters: "DE")!, name: "Pat Doe",
                email: "pat@example.org", zone: .utc)
        }
        let document = Documents.make(account: "li-jp", name: "Pat Doe", date: "2025-10-01")
        let renderer = MessageRenderer(settings: MessageSettings())
        func body(_ standing: RecipientStanding) -> String {
            renderer.checklist(
                [document], to: "pat@example.org", from: "privacy@example.org", date: Instant(secondsSince1970: 0),
                messageID: "m", standing: standing
            ).body
        }
        #expect(
            body(RecipientStanding(accounts: [account("li-de"), account("li-jp")])).contains(
                "\nLinkedIn (Pat Doe, li-jp)\n"))
        #expect(body(RecipientStanding(accounts: [account("li-jp")])).contains("\nLinkedIn\n"))
        #expect(body(RecipientStanding()).contains("\nLinkedIn\n"))
    }
}

/// What a message says of the person's steps it does not list, and how it greets them.
struct PersonStandingTests {
    func account(_ id: String, name: String, language: String? = nil) -> Account {
        Account(
            id: id, platform: "linkedin", region: CountryCode(letters: "DE")!, name: name, email: "pat@example.org",
            zone: .utc, language: language)
    }

    func mail(_ documents: [NoticeDocument], _ standing: RecipientStanding) -> MailMessage {
        MessageRenderer(settings: MessageSettings()).checklist(
            documents, to: "pat@example.org", from: "privacy@example.org", date: Instant(secondsSince1970: 0),
            messageID: "m", standing: standing)
    }

    var unlisted: RecipientStanding.Step {
        RecipientStanding.Step(
            account: "li-jp", platform: "linkedin",
            action: PolicyAction(id: "form", title: "Send the form", location: "Help"),
            deadline: CivilDate(iso: "2025-11-03")!, overdue: false)
    }

    /// Done with one account while the other still has a step: the subject names the done
    /// account and counts what is left, instead of "Nothing left to do".
    @Test func aDoneMessageNamesTheAccountAndCountsWhatIsLeft() {
        let done = Documents.make(account: "li-de", name: "Pat Doe", event: .optedOut, actions: [])
        let standing = RecipientStanding(
            otherSteps: [unlisted], accounts: [account("li-de", name: "Pat Doe"), account("li-jp", name: "Pat Doe")])
        let message = mail([done], standing)
        #expect(message.subject == "Thank you, LinkedIn (Pat Doe, li-de) done: 1 more step still to do")
        #expect(message.body.contains("One more step is still to do, due before 3 November 2025."), "\(message.body)")
        #expect(message.html?.contains("<title>Thank you</title>") == true)
        // With nothing left anywhere, it is the whole story.
        let alone = mail([done], RecipientStanding(accounts: [account("li-de", name: "Pat Doe")]))
        #expect(alone.subject == "Nothing left to do: your LinkedIn settings")
    }

    /// Every message greets the person by their first account's name, in its language.
    @Test func thePersonIsGreetedAsTheirFirstAccountSays() {
        let second = Documents.make(account: "li-gb", name: "Max Berg (UK)", language: "fr", date: "2025-10-01")
        let message = mail(
            [second],
            RecipientStanding(
                language: "de",
                accounts: [account("li-de", name: "Max Berg", language: "de"), account("li-gb", name: "Max Berg (UK)")])
        )
        #expect(message.body.hasPrefix("Guten Tag Max Berg,"), "\(message.body)")
    }

    /// The confirmation page speaks the person's language, not that of the link's first account.
    @Test func thePageIsInThePersonsLanguage() {
        let policy = Policy(
            id: "p", platform: "linkedin", title: "Policy p", summary: "", effective: CivilDate(iso: "2026-12-15")!,
            deadline: CivilDate(iso: "2026-12-15")!, regions: ["EU"], except: [], coverage: RegionName("EU")!.countries,
            actions: [PolicyAction(id: "toggle", title: "Turn off the toggle", location: "Settings")])
        let french = account("li-fr", name: "Kim", language: "fr")
        let german = account("li-de", name: "Kim L.", language: "de")
        let page = ConfirmationPages(settings: MessageSettings()).checklist(
            [AccountActions(account: french, catalog: Catalog([policy]), standing: [:])], person: [german, french],
            formAction: "/c/T", recorded: nil, now: Instant(secondsSince1970: 1_780_000_000))
        #expect(page.contains(#"<html lang="de">"#))
        #expect(page.contains("Kim L."))
    }
}
