import Foundation
import Testing

/// `optoutd catalog`: the shipped platforms, with dates, regions, actions and sources.
@Suite struct CatalogCommandTests {
    /// The shipped catalog alone, as a program reads it.
    static func shippedPolicies(_ arguments: [String] = []) throws -> [[String: Any]] {
        let result = try Optoutd.run(
            ["catalog", "--format", "json"] + arguments, environment: ["CONFIGURATION_DIRECTORY": "/nonexistent"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    struct Expected: CustomTestStringConvertible, Sendable {
        var id: String
        var platform: String
        var effective: String
        var deadline: String
        var regions: [String]
        var except: [String]
        var actions: [String]
        var testDescription: String { id }
    }

    static let newPolicies = [
        Expected(
            id: "facebook-ai-training-eu-2025", platform: "facebook", effective: "2025-05-27", deadline: "2025-05-27",
            regions: ["EU", "EEA"], except: [], actions: ["ai-objection-form"]),
        Expected(
            id: "instagram-ai-training-eu-2025", platform: "instagram", effective: "2025-05-27",
            deadline: "2025-05-27", regions: ["EU", "EEA"], except: [], actions: ["ai-objection-form"]),
        Expected(
            id: "facebook-ai-chats-ads-2025", platform: "facebook", effective: "2025-12-16", deadline: "2025-12-16",
            regions: ["*"], except: ["EU", "GB", "KR"], actions: []),
        Expected(
            id: "instagram-ai-chats-ads-2025", platform: "instagram", effective: "2025-12-16", deadline: "2025-12-16",
            regions: ["*"], except: ["EU", "GB", "KR"], actions: []),
        Expected(
            id: "x-grok-training-2024", platform: "x", effective: "2024-05-07", deadline: "2024-05-07",
            regions: ["*"], except: ["EEA"], actions: ["grok-training-toggle"]),
        Expected(
            id: "x-terms-ai-license-2024", platform: "x", effective: "2024-11-15", deadline: "2024-11-15",
            regions: ["*"], except: [], actions: []),
        Expected(
            id: "anthropic-claude-training-2025", platform: "claude", effective: "2025-09-28",
            deadline: "2025-09-28", regions: ["*"], except: [], actions: ["help-improve-claude"]),
        Expected(
            id: "microsoft-copilot-training-2024", platform: "copilot", effective: "2024-08-16",
            deadline: "2024-08-16", regions: ["*"], except: ["EEA"],
            actions: ["model-training-text", "model-training-voice"]),
        Expected(
            id: "tumblr-ai-sharing-2024", platform: "tumblr", effective: "2024-02-27", deadline: "2024-02-27",
            regions: ["*"], except: [], actions: ["prevent-third-party-sharing"]),
        Expected(
            id: "wordpress-ai-sharing-2024", platform: "wordpress", effective: "2024-02-27",
            deadline: "2024-02-27", regions: ["*"], except: [], actions: ["prevent-third-party-sharing"]),
    ]

    @Test(arguments: newPolicies)
    func catalogJSONListsTheNewPlatformsPolicy(_ expected: Expected) throws {
        let policy = try #require(try Self.shippedPolicies().first { $0["id"] as? String == expected.id })
        #expect(policy["platform"] as? String == expected.platform)
        #expect(policy["effective"] as? String == expected.effective)
        #expect(policy["deadline"] as? String == expected.deadline)
        #expect(policy["regions"] as? [String] == expected.regions)
        #expect(policy["except"] as? [String] == expected.except)
        let actions = policy["actions"] as? [[String: Any]] ?? []
        #expect(actions.compactMap { $0["id"] as? String } == expected.actions)
        for action in actions {
            #expect((action["where"] as? String)?.contains("→") == true, "\(action)")
        }
        let sources = policy["sources"] as? [[String: Any]] ?? []
        #expect(!sources.isEmpty)
        for source in sources {
            #expect((source["supports"] as? String)?.isEmpty == false)
            #expect((source["url"] as? String)?.hasPrefix("http") == true || source["title"] is String)
        }
        #expect(sources.contains { ($0["url"] as? String)?.hasPrefix("https://") == true })
        #expect(!(policy["summary"] as? String ?? "").isEmpty)
        #expect(!(policy["countries"] as? [String] ?? []).isEmpty)
    }

    @Test func conflictingSourcesAreNamedInThePolicysText() throws {
        let byID = Dictionary(
            uniqueKeysWithValues: try Self.shippedPolicies().map { ($0["id"] as! String, $0["summary"] as! String) })
        let claude = try #require(byID["anthropic-claude-training-2025"])
        #expect(claude.contains("28 September 2025") && claude.contains("8 October 2025"))
        #expect(claude.contains("uses 28 September 2025"))
        let facebook = try #require(byID["facebook-ai-training-eu-2025"])
        #expect(facebook.contains("6359191084165019") && facebook.contains("712876720715583"))
        #expect(byID["linkedin-genai-training-2024-gb"]?.contains("20 September 2024") == true)
        #expect(byID["linkedin-genai-training-2024-hk"]?.contains("11 October 2024") == true)
        #expect(byID["linkedin-genai-training-2024-ca"]?.contains("10 December 2024") == true)
    }

    @Test func theTableShowsWhereToClickAndTheLinkOfEachAction() throws {
        let all = try Optoutd.run(["catalog"], environment: ["CONFIGURATION_DIRECTORY": "/nonexistent"])
        #expect(all.status == 0)
        let rows = try Self.shippedPolicies().reduce(0) { $0 + max(1, ($1["actions"] as? [Any] ?? []).count) }
        #expect(all.stdout.split(separator: "\n").count == 1 + rows)

        let facebook = try Optoutd.run(
            ["catalog", "--platform", "facebook"], environment: ["CONFIGURATION_DIRECTORY": "/nonexistent"])
        #expect(facebook.status == 0, "\(facebook.stderr)")
        let lines = facebook.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("POLICY") == true)
        #expect(lines.first?.contains("WHERE") == true && lines.first?.contains("LINK") == true)
        #expect(lines.count == 4)
        let objection = try #require(lines.first { $0.hasPrefix("facebook-ai-training-eu-2025") })
        #expect(objection.contains("ai-objection-form"))
        #expect(objection.contains("Settings & Privacy → Privacy Center → AI at Meta → Submit an objection request"))
        #expect(objection.hasSuffix("https://www.facebook.com/help/contact/712876720715583"))
        let informs = try #require(lines.first { $0.hasPrefix("facebook-ai-chats-ads-2025") })
        #expect(informs.contains("nothing to opt out of"))

        let unknown = try Optoutd.run(
            ["catalog", "--platform", "myspace"], environment: ["CONFIGURATION_DIRECTORY": "/nonexistent"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("unknown platform 'myspace'; the catalog knows: claude, copilot, facebook"))
        let capitalized = try Optoutd.run(
            ["catalog", "--platform", "LinkedIn"], environment: ["CONFIGURATION_DIRECTORY": "/nonexistent"])
        #expect(capitalized.status == 65)
        #expect(capitalized.stderr == "optoutd: unknown platform 'LinkedIn'; did you mean 'linkedin'?\n")
        #expect(
            try Self.shippedPolicies(["--platform", "copilot"]).map { $0["id"] as? String } == [
                "microsoft-copilot-training-2024"
            ])
    }

    @Test func catalogListsThePlatforms() throws {
        let table = try Optoutd.run(
            ["catalog", "--platforms"], environment: ["CONFIGURATION_DIRECTORY": "/nonexistent"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
                "PLATFORM", "POLICIES", "EFFECTIVE",
            ])
        #expect(
            lines.dropFirst().map { String($0.prefix { $0 != " " }) } == [
                "claude", "copilot", "facebook", "instagram", "linkedin", "tumblr", "wordpress", "x",
            ])
        #expect(
            lines.contains {
                $0.hasPrefix("linkedin") && $0.contains(" 7 ") && $0.hasSuffix("2024-09-18 to 2025-11-03")
            })

        let json = try Optoutd.run(
            ["catalog", "--platforms", "--format", "json"], environment: ["CONFIGURATION_DIRECTORY": "/nonexistent"])
        let platforms = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let facebook = try #require(platforms.first { $0["platform"] as? String == "facebook" })
        #expect(
            facebook["policies"] as? [String] == [
                "facebook-ai-training-eu-2025", "facebook-ai-chats-ads-2025", "facebook-ai-training-uk-2024",
            ])
        #expect(try Optoutd.run(["catalog", "--platforms", "--platform", "x"]).status == 64)
    }
}
