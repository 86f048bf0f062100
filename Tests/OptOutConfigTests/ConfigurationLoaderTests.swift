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
              - {id: unknown-only, platform: linkedin, title: T, effective: 2030-01-01, regions: [XX], actions: [{id: x3, title: X, where: W}]}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:4:85: error: policy 'none-listed' covers no country: 'regions' is empty; list countries, groups such as EU, or *",
                "optoutd.yaml:5:5: error: policy 'all-excepted' covers no country: every region is in 'except'",
                // Unknown names alone: the error names them, and says nothing of "empty".
                "optoutd.yaml:6:87: error: unknown region 'XX'; expected an ISO 3166-1 alpha-2 code (such as DE), EU, EEA or *",
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
