import Foundation
import OptOutCore
import Testing

@testable import OptOutConfig

/// Mistakes in a configuration and its files: each named where it is, none hiding another.
extension ConfigurationLoaderTests {
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
        "optoutd.yaml:7:7: error: at must be a time of day (HH:MM), not \"9 o'clock\"",
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

    /// A user name over smtp:// without required STARTTLS may send the password in clear:
    /// a warning, except to a relay on this machine.
    @Test func aPasswordThatMayCrossTheNetworkInClearIsWarnedAbout() {
        func warnings(_ transport: String, _ starttls: String) -> [String] {
            load(
                """
                version: 1
                timezone: UTC
                channels:
                  email: {from: p@example.org, transport: "\(transport)", starttls: \(starttls), username: optoutd}
                accounts: []
                """
            ).1.filter { $0.contains("warning") }
        }
        #expect(
            warnings("smtp://mail.example.org:587", "opportunistic") == [
                "optoutd.yaml:4:109: warning: username over smtp:// without starttls: required: the password may cross the network in clear; use starttls: required or smtps://"
            ])
        #expect(warnings("smtp://mail.example.org:587", "off").count == 1)
        #expect(warnings("smtp://mail.example.org:587", "required").isEmpty)
        #expect(warnings("smtps://mail.example.org:465", "off").isEmpty)
        #expect(warnings("smtp://127.0.0.1:25", "off").isEmpty)
    }

    /// A configuration with the account alice inline, then the inventories listed.
    static func aliceAnd(inventories: String) -> String {
        """
        version: 1
        timezone: UTC
        defaults: {platform: linkedin}
        accounts:
          - {id: alice, region: AT}
        accounts_files: [\(inventories)]
        """
    }

    @Test(arguments: [false, true]) func duplicateIdsAcrossFilesNameTheFirstDefinition(inParts: Bool) {
        directory.write("a.csv", "id,region\nalice,DE\nbob,FR\ncarol,ES\n")
        directory.write("b.csv", "region,id\nIT,bob\nPT,dave\nNL,alice\n")
        let yaml = Self.aliceAnd(inventories: "a.csv, b.csv")
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
        let yaml = Self.aliceAnd(inventories: "a.csv")
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
        directory.write("bad.csv", "id,region,colour,id,Email\nx,DE,red,y,x@example.org\n")
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
                "bad.csv:1:21: error: unknown column 'Email'; did you mean 'email'?",
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
}
