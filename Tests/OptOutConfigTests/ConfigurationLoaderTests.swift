import Foundation
import OptOutCore
import Testing

@testable import OptOutConfig

@Suite struct ConfigurationLoaderTests {
    let directory = TemporaryDirectory()

    /// Loads `yaml` as `optoutd.yaml` and returns the result with each diagnostic as text,
    /// paths shortened to file names.
    /// With `inParts`, accounts are indexed by four cores, however few there are.
    func load(_ yaml: String, now: Instant? = nil, inParts: Bool = false) -> (Configuration?, [String]) {
        let path = directory.write("optoutd.yaml", yaml)
        var loader = ConfigurationLoader(now: now)
        if inParts { (loader.processors, loader.smallestPart) = (4, 1) }
        let loaded = loader.load(path: path)
        return (
            loaded.configuration,
            loaded.diagnostics.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
        )
    }

    @Test func theShippedExampleLoads() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Config/optoutd.yaml"
        ).path
        let loaded = ConfigurationLoader().load(path: example)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let configuration = try #require(loaded.configuration)
        #expect(configuration.accounts.count >= 8)
        #expect(Set(configuration.accounts.map { $0.region.description }).count >= 6)
        #expect(
            configuration.catalog.policies.filter { $0.platform == "linkedin" }.map(\.id) == [
                "linkedin-genai-training-2024", "linkedin-genai-training-2024-gb", "linkedin-genai-training-2024-hk",
                "linkedin-genai-training-2024-ca", "linkedin-genai-training-2025", "linkedin-affiliate-ai-sharing-2025",
                "linkedin-ads-sharing-2025",
            ])
        #expect(
            configuration.catalog.platforms
                == ["linkedin", "facebook", "instagram", "x", "claude", "copilot", "tumblr", "wordpress"])
    }

    @Test func aFullConfigurationIsRead() throws {
        directory.write(
            "policies.d/extra.yaml",
            """
            - id: example-policy
              platform: linkedin
              title: Example
              effective: 2026-05-01
              deadline: 2026-04-15
              regions: [EEA, CH]
              except: [NO]
              actions:
                - {id: ai-improvement-toggle, title: Toggle, where: Settings}
            """)
        directory.write(
            "team.csv",
            "name,region,id,done,timezone\n\"Doe, Jane\",FR,jane, linkedin-genai-training-2025 ;\tads-off-linkedin ;,Europe/Paris\n"
        )
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: America/New_York
            reminders: {lead_times: [2w, 3d, 6h], at: "08:30", overdue_every: 1w, overdue_max: 2}
            catalog: {builtin: true, include: [policies.d/*.yaml]}
            defaults: {platform: linkedin}
            channels:
              email:
                from: "optoutd <privacy@example.org>"
                transport: smtp://127.0.0.1:2525
                starttls: required
                password_credential: smtp-password
                cc: [team@example.org]
                digest: daily
                events: [overdue]
              hooks:
                - {name: ticket, command: [/usr/local/bin/open-ticket, --queue=privacy], events: [overdue], timeout: 2m}
              give_up_after: 36h
              webhooks:
                - name: chat
                  url: http://127.0.0.1:8080/hook
                  headers: [{name: Authorization, credential: webhook-token}]
            accounts:
              - {id: alice, region: UK, email: alice@example.org, done: [objection-form]}
            accounts_files: [team.csv]
            """)
        #expect(
            diagnostics == [
                "policies.d/extra.yaml:1:3: warning: policy 'example-policy': the deadline (2026-04-15) is before the effective date (2026-05-01); reminders count down to the deadline",
                "optoutd.yaml:23:25: warning: 'UK' is not an ISO 3166-1 code; it is read as 'GB', write that instead",
            ])
        let config = try #require(configuration)
        #expect(config.defaultZone.identifier == "America/New_York")
        #expect(
            config.reminders
                == ReminderSettings(
                    leadTimes: [.days(14), .days(3), .hours(6)], at: TimeOfDay(hour: 8, minute: 30)!,
                    overdueEvery: .days(7), overdueMax: 2))
        #expect(config.catalog.policies.count == (try ConfigurationLoader.builtinCatalog().policies.count) + 1)
        let extra = try #require(config.catalog["example-policy"])
        #expect(extra.deadline.description == "2026-04-15")
        #expect(
            extra.coverage.contains(CountryCode(letters: "CH")!)
                && !extra.coverage.contains(CountryCode(letters: "NO")!))
        #expect(config.channels.giveUpAfterSeconds == 36 * 3600)
        #expect(config.channels.email?.startTLS == .required)
        #expect(config.channels.email?.digest == .daily)
        #expect(config.channels.email?.events == [.overdue])
        #expect(
            config.channels.hooks == [
                HookSettings(
                    name: "ticket", command: ["/usr/local/bin/open-ticket", "--queue=privacy"], events: [.overdue],
                    timeoutSeconds: 120)
            ])
        #expect(
            config.channels.webhooks.first?.headers == [
                WebhookHeader(name: "Authorization", credential: "webhook-token")
            ])
        #expect(config.channels.names(for: .overdue) == ["journal", "email", "ticket", "chat"])
        #expect(config.channels.names(for: .optedOut) == ["journal", "chat"])
        #expect(config.accounts.map(\.id) == ["alice", "jane"])
        #expect(config.accounts[0].region.description == "GB")
        #expect(config.accounts[0].zone.identifier == "America/New_York")
        #expect(config.accounts[1].name == "Doe, Jane")
        #expect(config.accounts[1].zone.identifier == "Europe/Paris")
        #expect(config.accounts[1].done == [.policy("linkedin-genai-training-2025"), .action("ads-off-linkedin")])
    }

    @Test func everyErrorOfTheFileIsReportedWithItsPlace() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: Mars/Base
            colour: blue
            defaults: {platform: linkedin}
            reminders:
              lead_times: [30d, 0d, 3x]
              at: "9 o'clock"
              overdue_every: often
            accounts:
              - id: alice
                region: XX
              - id: bob
                region: DE
                platform: myspace
              - id: "carol smith"
                region: EU
                timezone: Europe/Nowhere
                done: [no-such-action, linkedin-genai-training-2025/ads-off-linkedin, unknown-policy/x]
              - id: alice
                region: FR
                email: "not an address"
                nickname: al
            """)
        #expect(configuration == nil)
        #expect(diagnostics == Self.expectedErrors)
    }

    static let expectedErrors = [
        "optoutd.yaml:3:1: error: unknown key 'colour' in the configuration; expected one of: version, timezone, reminders, catalog, policies, defaults, channels, messages, web, accounts, accounts_files",
        "optoutd.yaml:2:11: error: unknown time zone 'Mars/Base'; expected an IANA name such as Europe/Berlin",
        "optoutd.yaml:6:21: error: a lead time must be a duration such as 30d, 2w or 12h, from 1h to 3650d, not '0d'",
        "optoutd.yaml:6:25: error: a lead time must be a duration such as 30d, 2w or 12h, from 1h to 3650d, not '3x'",
        "optoutd.yaml:7:7: error: at must be a time of day (HH:MM), not '9 o'clock'",
        "optoutd.yaml:8:18: error: overdue_every must be a duration such as 30d, 2w or 12h, from 0d to 3650d, not 'often'",
        "optoutd.yaml:11:13: error: unknown region 'XX'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
        "optoutd.yaml:14:15: error: unknown platform 'myspace'; the catalog knows: claude, copilot, facebook, instagram, linkedin, tumblr, wordpress, x",
        "optoutd.yaml:15:9: error: account id 'carol smith' may hold only ASCII letters and digits, '.', '_', '-' and '@'",
        "optoutd.yaml:16:13: error: an account's region must be one country, not the group 'EU'",
        "optoutd.yaml:17:15: error: unknown time zone 'Europe/Nowhere'; expected an IANA name such as Europe/Berlin",
        "optoutd.yaml:18:12: error: done entry 'no-such-action': no policy or action of platform 'linkedin' has this id",
        "optoutd.yaml:18:28: error: done entry 'linkedin-genai-training-2025/ads-off-linkedin': policy 'linkedin-genai-training-2025' has no action 'ads-off-linkedin'",
        "optoutd.yaml:18:75: error: done entry 'unknown-policy/x': unknown policy 'unknown-policy'",
        "optoutd.yaml:22:5: error: unknown key 'nickname' in an account; expected one of: id, platform, region, name, email, timezone, language, manager, done",
        "optoutd.yaml:21:12: error: 'not an address' is not a mail address",
        "optoutd.yaml:19:9: error: account id 'alice' is also defined at optoutd.yaml:10:9",
    ]

    @Test func nullsAreAbsentButQuotedNullIsText() throws {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            policies: ~
            defaults: {platform: linkedin}
            accounts:
              - {id: a, region: DE, name: ~, email: null, timezone: }
              - {id: b, region: DE, name: "null"}
            accounts_files:
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let accounts = try #require(configuration?.accounts)
        #expect(accounts.map(\.name) == [nil, "null"])
        #expect(accounts[0].email == nil)
        #expect(accounts[0].zone.identifier == "UTC")
    }

    /// An inventory listed twice, by any spelling or link, is read once: its accounts are
    /// not duplicates of themselves.
    @Test func anInventoryListedTwiceIsReadOnce() throws {
        directory.write("team.csv", "id,region\nann,DE\nbob,FR\n")
        directory.write("other/readme.txt", "")
        #expect(symlink(directory.path + "/team.csv", directory.path + "/other/link.csv") == 0)
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts_files: [team.csv, ./other/../team.csv, other/link.csv]
            """)
        #expect(configuration?.accounts.map(\.id) == ["ann", "bob"])
        #expect(
            diagnostics == [
                "optoutd.yaml:4:28: warning: './other/../team.csv' is the inventory already listed at line 4, column 18; it is read once",
                "optoutd.yaml:4:49: warning: 'other/link.csv' is the inventory already listed at line 4, column 18; it is read once",
            ])
    }

    /// Inventories are read straight from the file: a byte order mark is dropped, letters
    /// beyond ASCII are kept, and what is not a regular file is named as such.
    @Test func inventoryFilesAreReadAsUTF8Text() throws {
        directory.write("bom.csv", Data([0xEF, 0xBB, 0xBF]) + Data("id,region,name\njoerg,DE,Jörg Müller\n".utf8))
        directory.write("folder/readme.txt", "not an inventory")
        let (configuration, _) = load(
            """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts_files: [bom.csv]
            """)
        let accounts = try #require(configuration).accounts
        #expect(accounts.map(\.id) == ["joerg"])
        #expect(accounts.map(\.name) == ["Jörg Müller"])
        let (_, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts_files: [folder]
            """)
        #expect(diagnostics == ["optoutd.yaml:4:18: error: cannot read folder: it is a directory"])
    }

    @Test(arguments: [false, true]) func duplicateIdsAcrossFilesNameTheFirstDefinition(inParts: Bool) {
        directory.write("a.csv", "id,region\nalice,DE\nbob,FR\ncarol,ES\n")
        directory.write("b.csv", "region,id\nIT,bob\nPT,dave\nNL,alice\n")
        let yaml = """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts:
              - {id: alice, region: AT}
            accounts_files: [a.csv, b.csv]
            """
        let (configuration, diagnostics) = load(yaml, inParts: inParts)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "a.csv:2:1: error: duplicate account id 'alice' (first defined at optoutd.yaml:5:5)",
                "b.csv:2:1: error: duplicate account id 'bob' (first defined at a.csv:3:1)",
                "b.csv:4:1: error: duplicate account id 'alice' (first defined at optoutd.yaml:5:5)",
            ])
        directory.write("a.csv", "id,region\nbob,FR\ncarol,ES\n")
        directory.write("b.csv", "region,id\nPT,dave\n")
        let (fixed, _) = load(yaml, inParts: inParts)
        let accounts = fixed?.accounts.map(\.id)
        #expect(accounts == ["alice", "bob", "carol", "dave"])
        #expect(accounts?.map { fixed?.account(id: $0)?.id } == accounts)
        #expect(fixed?.account(id: "erin") == nil)
    }

    /// An account left out for an error still holds its id: a second definition of it is
    /// named in the same run, not only once the first is mended.
    @Test(arguments: [false, true]) func aRejectedAccountStillNamesItsDuplicates(inParts: Bool) {
        directory.write("a.csv", "id,region\nalice,XX\nbob,FR\nbob,QQ\nerin,ZZ\nerin,YY\n")
        let yaml = """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts:
              - {id: alice, region: AT}
            accounts_files: [a.csv]
            """
        let (configuration, diagnostics) = load(yaml, inParts: inParts)
        #expect(configuration == nil)
        let duplicates = diagnostics.filter { $0.contains("also defined") }
        #expect(
            duplicates == [
                "a.csv:2:1: error: account id 'alice' is also defined at optoutd.yaml:5:5",
                "a.csv:4:1: error: account id 'bob' is also defined at a.csv:3:1",
                "a.csv:6:1: error: account id 'erin' is also defined at a.csv:5:1",
            ], "\(diagnostics)")
    }

    /// policies.d and templates are read without being named: not there is fine, but one
    /// that is there and cannot be read is an error, or a correction would be left out
    /// without a word.
    @Test func foldersReadWithoutBeingNamedMustBeFolders() throws {
        let yaml = "version: 1\ntimezone: UTC\naccounts: []\n"
        #expect(load(yaml).1 == [])
        directory.write("policies.d", "not a folder")
        directory.write("templates/en", "not a folder")
        #expect(
            load(yaml).1 == [
                "policies.d:1:1: error: cannot read policies.d: not a folder",
                "templates/en:1:1: error: cannot read templates/en: not a folder",
            ])
        try FileManager.default.removeItem(atPath: directory.path + "/policies.d")
        try FileManager.default.createSymbolicLink(
            atPath: directory.path + "/policies.d", withDestinationPath: directory.path + "/policies.d")
        try FileManager.default.removeItem(atPath: directory.path + "/templates")
        try FileManager.default.createSymbolicLink(
            atPath: directory.path + "/templates", withDestinationPath: directory.path + "/gone")
        #expect(
            load(yaml).1 == [
                "policies.d:1:1: error: cannot read policies.d: Too many levels of symbolic links",
                "templates:1:1: error: cannot read templates: a link to nothing",
            ])
    }

    /// A file name may hold an escape sequence or a line break: every diagnostic stays one
    /// line, safe to print, and still names the file.
    @Test func fileNamesInDiagnosticsCannotActOnTheTerminal() {
        directory.write("policies.d/e\u{1B}[31mx.yaml", "- {id: 1bad}\n")
        directory.write("policies.d/n\nl.yaml", "- {id: 2bad}\n")
        let (_, diagnostics) = load("version: 1\ntimezone: UTC\naccounts: []\n")
        #expect(diagnostics.count >= 2)
        #expect(diagnostics.allSatisfy { !$0.unicodeScalars.contains { TerminalText.isUnsafe($0) } }, "\(diagnostics)")
        #expect(diagnostics.contains { $0.hasPrefix("policies.d/e\\u{1B}[31mx.yaml:1:") })
        #expect(diagnostics.contains { $0.hasPrefix("policies.d/n ↵ l.yaml:1:") })
    }

    /// An included file reached by two spellings, or through policies.d as well, is read
    /// once: its policies are not duplicates of themselves.
    @Test func aPolicyFileReachedTwiceIsReadOnce() {
        directory.write(
            "policies.d/extra.yaml",
            "- {id: extra-1, platform: linkedin, title: t, effective: 2027-01-01, regions: [DE], actions: []}\n")
        let (configuration, diagnostics) = load(
            "version: 1\ntimezone: UTC\ncatalog: {include: [policies.d/extra.yaml, ./policies.d/*.yaml]}\naccounts: []\n"
        )
        #expect(diagnostics == [])
        #expect(configuration?.catalog.policies.filter { $0.id == "extra-1" }.count == 1)
    }

    @Test func csvInventoryErrors() {
        directory.write("bad.csv", "id,region,colour,id\nx,DE,red,y\n")
        directory.write("short.csv", "id,region,name\nann,DE\n\"unterminated,FR,x\n")
        directory.write("quote.csv", "id,region,name\nann,DE,Ann \"The\" Admin\n")
        directory.write("newline.csv", "id,region,name\nann,DE,\"Ann\nSmith\"\nbo\rb,FR,x\n")
        directory.write("noheader.csv", "")
        directory.write(
            "latin1.csv",
            Data([
                0x69, 0x64, 0x2C, 0x72, 0x65, 0x67, 0x69, 0x6F, 0x6E, 0x0A, 0x6A, 0xF6, 0x72, 0x67, 0x2C, 0x44, 0x45,
                0x0A,
            ]))
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts_files: [bad.csv, short.csv, quote.csv, newline.csv, noheader.csv, latin1.csv, missing.csv]
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "bad.csv:1:11: error: unknown column 'colour'; expected: id, platform, region, email, name, timezone, done, language, manager",
                "bad.csv:1:18: error: column 'id' appears twice",
                "short.csv:2:1: error: this row has 2 fields; the header has 3",
                "short.csv:3:1: error: quoted field is not closed",
                "quote.csv:2:12: error: a quote inside an unquoted field; quote the whole field and double the quote",
                "quote.csv:2:16: error: a quote inside an unquoted field; quote the whole field and double the quote",
                "newline.csv:2:8: error: the name contains a control character (LF); it must be a single line of text",
                "newline.csv:4:1: error: the account id contains a control character (CR); it must be a single line of text",
                "noheader.csv:1:1: error: the file has no header row; expected columns: id,platform,region,email,name,timezone,done,language,manager",
                "latin1.csv:2:2: error: file is not valid UTF-8 (byte 0xF6)",
                "optoutd.yaml:4:88: error: cannot read missing.csv: no such file",
                "newline.csv:2:1: error: account id 'ann' is also defined at quote.csv:2:1",
            ])
    }

    @Test func controlCharactersNeverReachHeaderFields() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            channels:
              email: {from: "optoutd <a@example.org>\\r\\nBcc: x@example.org", transport: "sendmail:/usr/sbin/sendmail"}
            accounts:
              - {id: a, region: DE, name: "Eve\\r\\nBcc: victim@example.org"}
              - {id: b, region: DE, email: "b@example.org\\u0000"}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:5:17: error: from contains a control character (CR); it must be a single line of text",
                "optoutd.yaml:7:31: error: the name contains a control character (CR); it must be a single line of text",
                "optoutd.yaml:8:32: error: the e-mail address contains a control character (NUL); it must be a single line of text",
            ])
    }

    /// One run names every mistake of an account, not only its first broken field.
    @Test func aFieldThatIsNotOneLineHidesNoOtherMistake() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts:
              - {id: a, region: XX, name: "Eve\\u0007", timezone: Mars/Base, done: ["x\\ty", nothing-like-this]}
              - {id: "b\\u0007", region: DE, email: not-an-address}
              - {id: c, region: "D\\u0000E", platform: "linked\\nin"}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:5:72: error: an item of done contains a control character (U+0009); it must be a single line of text",
                "optoutd.yaml:5:31: error: the name contains a control character (U+0007); it must be a single line of text",
                "optoutd.yaml:5:21: error: unknown region 'XX'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "optoutd.yaml:5:54: error: unknown time zone 'Mars/Base'; expected an IANA name such as Europe/Berlin",
                "optoutd.yaml:5:80: error: done entry 'nothing-like-this': no policy or action of platform 'linkedin' has this id",
                "optoutd.yaml:6:10: error: the account id contains a control character (U+0007); it must be a single line of text",
                "optoutd.yaml:6:40: error: 'not-an-address' is not a mail address",
                "optoutd.yaml:7:43: error: the platform contains a control character (LF); it must be a single line of text",
                "optoutd.yaml:7:21: error: the region contains a control character (NUL); it must be a single line of text",
            ])
    }

    @Test func yamlSyntaxErrorsAreNamedWhereTheyAre() {
        let (_, syntax) = load("version: 1\naccounts: [\n")
        #expect(syntax.count == 1 && syntax[0].hasPrefix("optoutd.yaml:3:1: error: invalid YAML"))
        let (_, deep) = load("version: 1\npolicies: " + String(repeating: "[", count: 100_000) + "\n")
        #expect(deep == ["optoutd.yaml:2:74: error: invalid YAML: nested more than 64 levels deep"])
    }

    @Test(arguments: [
        (
            "version: 1\ntimezone: UTC\ntimezone: Europe/Berlin\n",
            "optoutd.yaml:3:1: error: duplicate key 'timezone' in the configuration"
        ),
        (
            "version: 1\ndefaults: {platform: linkedin}\naccounts:\n  - {id: a, region: DE, region: FR}\n",
            "optoutd.yaml:4:25: error: duplicate key 'region' in an account"
        ),
        ("", "optoutd.yaml:1:1: error: empty YAML document"),
        ("# nothing but a comment\n", "optoutd.yaml:1:1: error: empty YAML document"),
        (
            "version: 1\n---\nversion: 1\n",
            "optoutd.yaml:2:1: error: invalid YAML: expected a single document in the stream; but found another document"
        ),
        ("version: 1\ntimezone: *zone\n", "optoutd.yaml:2:11: error: invalid YAML: found undefined alias"),
        ("version: 2\n", "optoutd.yaml:1:10: error: unsupported version; this optoutd reads version 1"),
        ("timezone: UTC\n", "optoutd.yaml:1:1: error: the configuration needs 'version'"),
        // Line breaks to YAML 1.1 alone: an editor shows one line where libyaml reads two.
        (
            "version: 1\n# c \u{2028} word\naccounts: []\n",
            "optoutd.yaml:2:5: error: U+2028 (line separator) is a line break to YAML but not to editors, so lines and comments would end where they do not show; use a plain line break, or an escape in double quotes"
        ),
        (
            "version: 1\naccounts:\n  - {id: a1, region: DE, name: \"Ann\u{85}Lee\"}\n",
            "optoutd.yaml:3:36: error: U+0085 (next line) is a line break to YAML but not to editors, so lines and comments would end where they do not show; use a plain line break, or an escape in double quotes"
        ),
        (
            "version: 1\n# \u{2029}\n",
            "optoutd.yaml:2:3: error: U+2029 (paragraph separator) is a line break to YAML but not to editors, so lines and comments would end where they do not show; use a plain line break, or an escape in double quotes"
        ),
    ])
    func badYAMLGetsOneErrorAtItsPlace(yaml: String, error: String) {
        let (configuration, diagnostics) = load(yaml)
        #expect(configuration == nil)
        #expect(diagnostics == [error])
    }

    @Test func anchorsAndAliasesAreReadAsTheirTarget() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            defaults: {platform: linkedin}
            accounts:
              - {id: a, region: DE, done: &both [ai-improvement-toggle, objection-form]}
              - {id: b, region: &region FR, done: *both}
              - {id: c, region: *region}
            """)
        #expect(diagnostics == [])
        #expect(
            configuration?.accounts.map { "\($0.id) \($0.region) \($0.done.count)" } == ["a DE 2", "b FR 2", "c FR 0"])
    }

    @Test func policyAndChannelErrors() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            policies:
              - id: linkedin-genai-training-2025
                platform: linkedin
                title: Again
                effective: 2025-02-30
                regions: [EU, Atlantis]
                actions: []
              - id: Bad_ID
                platform: linkedin
                title: X
                effective: 2026-01-01
                regions: [DE]
                except: [DE]
                actions: [{id: a, title: A, where: here, url: "ftp://x"}, {id: a, title: A, where: here}]
            channels:
              email: {from: nobody, transport: "pigeon://loft", starttls: maybe, digest: weekly, events: [birthday]}
              hooks:
                - {name: journal, command: [open-ticket]}
                - {name: t, command: [/bin/true], timeout: 10 minutes}
              webhooks:
                - {name: t, url: "ftp://x", headers: [{name: "Bad Header", credential: ../etc/passwd}]}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:7:16: error: the effective date must be a date (YYYY-MM-DD) from 1900 to 9999, not '2025-02-30'",
                "optoutd.yaml:8:19: error: unknown region 'Atlantis'; expected an ISO 3166-1 alpha-2 code (such as DE), EU, EEA or *",
                "optoutd.yaml:10:9: error: the policy id must be lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 long, not 'Bad_ID'",
                "optoutd.yaml:16:51: error: the action url 'ftp://x' must start with https:// or http://",
                "optoutd.yaml:16:63: error: action 'a' is listed twice in this policy",
                "optoutd.yaml:18:17: error: from: 'nobody' is not a mail address; write an address such as 'optoutd <privacy@example.org>' or 'privacy@example.org'",
                "optoutd.yaml:18:36: error: transport 'pigeon://loft' must start with smtp:// or smtps://",
                "optoutd.yaml:18:63: error: starttls must be required, opportunistic or off, not 'maybe'",
                "optoutd.yaml:18:78: error: digest must be none or daily, not 'weekly'",
                "optoutd.yaml:18:95: error: unknown event 'birthday' in events; expected one of: policy-applies, deadline-reminder, policy-effective, overdue, escalation, opted-out",
                "optoutd.yaml:20:33: error: the hook's program must be an absolute path (it is run directly, never through a shell)",
                "optoutd.yaml:21:48: error: timeout must be a duration such as 30s, 5m or 1h, from 1s to 1h, not '10 minutes'",
                "optoutd.yaml:23:22: error: url 'ftp://x' must start with http:// or https://",
                "optoutd.yaml:23:50: error: the header name must be an HTTP header name, not 'Bad Header'",
                "optoutd.yaml:23:76: error: credential must be a credential name (a file name, no '/'), not '../etc/passwd'",
                "optoutd.yaml:20:14: error: 'journal' is a built-in channel; choose another name",
            ])
    }

    @Test func aPolicyThatCoversNoCountrySaysWhy() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            policies:
              - {id: none-listed, platform: linkedin, title: T, effective: 2030-01-01, regions: [], actions: [{id: x1, title: X, where: W}]}
              - {id: all-excepted, platform: linkedin, title: T, effective: 2030-01-01, regions: [DE], except: [EU], actions: [{id: x2, title: X, where: W}]}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:4:85: error: policy 'none-listed' covers no country: 'regions' is empty; list countries, groups such as EU, or *",
                "optoutd.yaml:5:5: error: policy 'all-excepted' covers no country: every region is in 'except'",
            ])
    }

    @Test func aConfiguredPolicyCannotReuseAShippedId() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            policies:
              - {id: linkedin-ads-sharing-2025, platform: linkedin, title: T, effective: 2026-01-01, regions: [DE], actions: [{id: x, title: X, where: Y}]}
            """)
        #expect(configuration == nil)
        #expect(diagnostics.count == 1)
        #expect(
            diagnostics.first?.hasPrefix(
                "optoutd.yaml:4:5: error: duplicate policy id 'linkedin-ads-sharing-2025' (first defined at <builtin>/linkedin.yaml:"
            ) == true)
    }

    @Test func oldConfiguredPoliciesWarnButShippedOnesDoNot() throws {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: UTC
            policies:
              - {id: old, platform: linkedin, title: Old, effective: 2024-01-01, regions: [DE], actions: [{id: x, title: X, where: Y}]}
            """, now: Instant(iso: "2026-11-29", defaultZone: .utc))
        #expect(configuration != nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:4:5: warning: the deadline of policy 'old' (2024-01-01) passed more than a year ago"
            ])
    }
}

@Suite struct CSVInventoryTests {
    /// 400 rows with a few mistakes spread over them, LF and CRLF line ends, blank lines and
    /// names with letters of more than one byte.
    static let inventory: String = {
        var lines = ["id,region,name,timezone,done"]
        for row in 1...400 {
            let region = row == 57 ? "XX" : ["DE", "FR", "GB", "IT"][row % 4]
            let zone = row == 233 ? "Mars/Olympus" : ["Europe/Berlin", "", "Asia/Tokyo"][row % 3]
            let done = row % 5 == 0 ? "objection-form;ai-improvement-toggle" : row == 301 ? "no-such-switch" : ""
            let end = row % 7 == 0 ? "\r" : ""
            lines.append("a\(row),\(region),Zoë Ünal \(row),\(zone),\(done)\(end)")
            if row % 50 == 0 { lines.append("") }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    struct Read {
        var accounts: [String]
        var diagnostics: [String]
        var pieces: Int
    }

    func read(_ text: String, processors: Int) throws -> Read {
        let log = DiagnosticLog()
        var inventory = CSVInventory(path: "team.csv", log: log)
        inventory.processors = processors
        inventory.smallestPiece = 256
        let builder = AccountBuilder(
            catalog: try ConfigurationLoader.builtinCatalog(), defaultPlatform: "linkedin",
            defaultZone: Zone(identifier: "UTC")!, log: log)
        let runs = inventory.accounts(text, builder: builder)  // one per piece
        return Read(
            accounts: runs.joined().map {
                "\($0.location.line) \($0.value.id) \($0.value.name ?? "-") \($0.value.zone) \($0.value.done.count)"
            },
            diagnostics: log.diagnostics.map(\.description), pieces: runs.count)
    }

    @Test func aFileReadInPiecesGivesWhatItGivesReadWhole() throws {
        let whole = try read(Self.inventory, processors: 1)
        let pieces = try read(Self.inventory, processors: 4)
        #expect(whole.pieces == 1)
        #expect(pieces.pieces == 4 * CSVInventory.piecesPerProcessor)
        #expect(pieces.accounts == whole.accounts)
        #expect(pieces.diagnostics == whole.diagnostics)
        #expect(whole.accounts.count == 397)
        // Row 400 is on line 408: after the header and a blank line every 50 rows.
        #expect(whole.accounts.last == "408 a400 Zoë Ünal 400 UTC 2")
        #expect(
            whole.diagnostics == [
                "team.csv:59:5: error: unknown region 'XX'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "team.csv:238:22: error: unknown time zone 'Mars/Olympus'; expected an IANA name such as Europe/Berlin",
                "team.csv:308:23: error: done entry 'no-such-switch': no policy or action of platform 'linkedin' has this id",
            ])
    }

    @Test func plainASCIIPiecesReportWhatOtherPiecesDo() throws {
        // Columns count scalars, and these names have as many as the ones they replace: every
        // place is the same whether a piece was seen to be plain ASCII (its fields then not
        // scanned one by one) or not. Rows ending in CRLF stay plain.
        let ascii = Self.inventory.replacingOccurrences(of: "Zoë Ünal", with: "Zoe Unal")
        let original = try read(Self.inventory, processors: 4)
        let plain = try read(ascii, processors: 4)
        #expect(plain.pieces == 4 * CSVInventory.piecesPerProcessor)
        #expect(plain.diagnostics == original.diagnostics)
        #expect(plain.accounts == original.accounts.map { $0.replacingOccurrences(of: "Zoë Ünal", with: "Zoe Unal") })
        // A tab sends its piece back to the field-by-field checks, and is reported where it is.
        let tab = try read(ascii.replacingOccurrences(of: "Zoe Unal 120,", with: "Zoe\tUnal 120,"), processors: 4)
        #expect(
            tab.diagnostics == [
                "team.csv:59:5: error: unknown region 'XX'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "team.csv:123:9: error: the name contains a control character (U+0009); it must be a single line of text",
                "team.csv:238:22: error: unknown time zone 'Mars/Olympus'; expected an IANA name such as Europe/Berlin",
                "team.csv:308:23: error: done entry 'no-such-switch': no policy or action of platform 'linkedin' has this id",
            ])
        #expect(tab.accounts.count == plain.accounts.count - 1)
    }

    @Test func aLineLongerThanAPieceStaysWhole() throws {
        // Cuts that fall inside the one long name all move to its end: no piece is empty or
        // cut in a line, and nothing is read twice.
        let long = String(repeating: "x", count: 4000)
        let text = Self.inventory.replacingOccurrences(of: "Zoë Ünal 120,", with: "\(long),")
        let whole = try read(text, processors: 1)
        let pieces = try read(text, processors: 4)
        #expect(pieces.pieces > 1)
        #expect(pieces.pieces < 4 * CSVInventory.piecesPerProcessor)
        #expect(pieces.accounts == whole.accounts)
        #expect(pieces.diagnostics == whole.diagnostics)
        #expect(whole.diagnostics.contains("team.csv:123:9: error: the name is longer than 256 characters"))
    }

    @Test func lineBreaksAreCountedInEveryByteAndWord() {
        // LF in every position of a word, beside bytes one bit away from it and beside
        // bytes with the top bit set.
        var bytes: [UInt8] = []
        for length in 0..<40 {
            for index in 0..<length { bytes.append([0x0A, 0x0B, 0x8A, 0x0A, 0xFF, 0x00, 0x2A, 0x09][index % 8]) }
            let naive = bytes.count { $0 == 0x0A }
            #expect(bytes.withUnsafeBufferPointer { CSVReader.lineBreaks(in: $0) } == naive)
            bytes.removeFirst(bytes.count / 3)
        }
    }

    @Test func aFileWithQuotesIsReadWhole() throws {
        // A quoted field may hold a line break, so no cut is safe.
        let text = Self.inventory.replacingOccurrences(of: "Zoë Ünal 399", with: "\"Zoë\nÜnal\"")
        let read = try read(text, processors: 4)
        #expect(read.pieces == 1)
        #expect(read.accounts.count == 396)
        #expect(
            read.diagnostics.last
                == "team.csv:407:9: error: the name contains a control character (LF); it must be a single line of text"
        )
    }
}
