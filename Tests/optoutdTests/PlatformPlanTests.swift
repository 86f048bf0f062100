import Foundation
import Testing

/// `plan` and `status`, as the built binary runs them, for one account on each shipped
/// platform in the countries a policy covers and in those it leaves out.
@Suite struct PlatformPlanTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var platform: String
        var region: String
        /// Every policy that applies, informing ones (without actions) included.
        var policies: Set<String>
        var testDescription: String { "\(platform) in \(region)" }
    }

    static let cases = [
        // Meta: objection in the EU and EEA (2025) and the UK (2024); AI chats for ads everywhere but the EU,
        // the UK and South Korea.
        Case(platform: "facebook", region: "DE", policies: ["facebook-ai-training-eu-2025"]),
        Case(
            platform: "facebook", region: "NO",
            policies: ["facebook-ai-training-eu-2025", "facebook-ai-chats-ads-2025"]),
        Case(platform: "facebook", region: "US", policies: ["facebook-ai-chats-ads-2025"]),
        Case(platform: "facebook", region: "GB", policies: ["facebook-ai-training-uk-2024"]),
        Case(platform: "facebook", region: "KR", policies: []),
        Case(platform: "instagram", region: "FR", policies: ["instagram-ai-training-eu-2025"]),
        Case(platform: "instagram", region: "BR", policies: ["instagram-ai-chats-ads-2025"]),
        // X: Grok training everywhere but the EEA; the terms' licence everywhere.
        Case(platform: "x", region: "US", policies: ["x-grok-training-2024", "x-terms-ai-license-2024"]),
        Case(platform: "x", region: "GB", policies: ["x-grok-training-2024", "x-terms-ai-license-2024"]),
        Case(platform: "x", region: "IE", policies: ["x-terms-ai-license-2024"]),
        Case(platform: "x", region: "IS", policies: ["x-terms-ai-license-2024"]),
        // Claude's consumer plans: everywhere.
        Case(platform: "claude", region: "JP", policies: ["anthropic-claude-training-2025"]),
        Case(platform: "claude", region: "DE", policies: ["anthropic-claude-training-2025"]),
        // Copilot: outside the EEA, so Switzerland and the UK are in.
        Case(platform: "copilot", region: "US", policies: ["microsoft-copilot-training-2024"]),
        Case(platform: "copilot", region: "CH", policies: ["microsoft-copilot-training-2024"]),
        Case(platform: "copilot", region: "NL", policies: []),
        Case(platform: "copilot", region: "LI", policies: []),
        // Automattic: everywhere.
        Case(platform: "tumblr", region: "AU", policies: ["tumblr-ai-sharing-2024"]),
        Case(platform: "wordpress", region: "SE", policies: ["wordpress-ai-sharing-2024"]),
        // LinkedIn by region group, with the 2024 pauses of the UK, Hong Kong and Canada.
        Case(
            platform: "linkedin", region: "US", policies: ["linkedin-genai-training-2024", "linkedin-ads-sharing-2025"]),
        Case(platform: "linkedin", region: "DE", policies: ["linkedin-genai-training-2025"]),
        Case(platform: "linkedin", region: "CH", policies: ["linkedin-genai-training-2025"]),
        Case(
            platform: "linkedin", region: "GB",
            policies: [
                "linkedin-genai-training-2024-gb", "linkedin-genai-training-2025", "linkedin-affiliate-ai-sharing-2025",
            ]),
        Case(
            platform: "linkedin", region: "HK",
            policies: [
                "linkedin-genai-training-2024-hk", "linkedin-genai-training-2025", "linkedin-affiliate-ai-sharing-2025",
                "linkedin-ads-sharing-2025",
            ]),
        Case(
            platform: "linkedin", region: "CA",
            policies: [
                "linkedin-genai-training-2024-ca", "linkedin-genai-training-2025", "linkedin-affiliate-ai-sharing-2025",
                "linkedin-ads-sharing-2025",
            ]),
    ]

    /// The policies without actions: they inform and are never reminded of.
    static let informing: Set<String> = [
        "facebook-ai-chats-ads-2025", "instagram-ai-chats-ads-2025", "x-terms-ai-license-2024",
    ]

    @Test(arguments: cases)
    func theAccountGetsThePoliciesOfItsPlatformAndCountry(_ test: Case) throws {
        let directory = try scratchFolder("optoutd-platform")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("optoutd.yaml").path
        try "version: 1\ntimezone: UTC\naccounts:\n  - {id: acct, platform: \(test.platform), region: \(test.region)}\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let common = ["--config", config, "--state", directory.appendingPathComponent("state.sqlite").path]

        let status = try Optoutd.run(["status", "--format", "json"] + common)
        #expect(status.status == 0, "\(status.stderr)")
        let pairs = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        #expect(Set(pairs.compactMap { $0["policy"] as? String }) == test.policies)

        // From before the earliest shipped change to after the latest: every notice there is.
        let plan = try Optoutd.run(
            ["plan", "--format", "json", "--now", "2024-01-01T00:00:00Z", "--days", "1100"] + common)
        #expect(plan.status == 0, "\(plan.stderr)")
        let notices = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [[String: Any]])
        let byPolicy = Dictionary(grouping: notices, by: { $0["policy"] as? String ?? "" })
        #expect(Set(byPolicy.keys).isSubset(of: test.policies))
        for policy in test.policies.subtracting(Self.informing) {
            let events = byPolicy[policy]?.compactMap { $0["event"] as? String } ?? []
            #expect(events.first == "policy-applies", "\(policy): \(events)")
            #expect(events.contains("deadline-reminder"), "\(policy): \(events)")
            #expect(events.contains("policy-effective"), "\(policy): \(events)")
        }
        // A change with no opt-out is told when first seen and on its effective date: never
        // a reminder, an overdue notice or opted-out.
        for policy in test.policies.intersection(Self.informing) {
            let events = byPolicy[policy]?.compactMap { $0["event"] as? String } ?? []
            #expect(events == ["policy-applies", "policy-effective"], "\(policy): \(events)")
        }
    }

    /// Objections were possible through 26 May 2025: the last reminder comes that day.
    @Test func metasObjectionIsRemindedThroughTheTwentySixthOfMay() throws {
        let directory = try scratchFolder("optoutd-platform")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("optoutd.yaml").path
        try """
        version: 1
        timezone: Europe/Berlin
        reminders: {overdue_every: 0d}
        accounts:
          - {id: berlin, platform: instagram, region: DE}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let plan = try Optoutd.run([
            "plan", "--format", "json", "--now", "2025-04-20T10:00:00+02:00", "--days", "60", "--config", config,
            "--state", directory.appendingPathComponent("state.sqlite").path,
        ])
        #expect(plan.status == 0, "\(plan.stderr)")
        let notices = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [[String: Any]])
        #expect(
            notices.map { "\($0["at"] as? String ?? "") \($0["event"] as? String ?? "")" } == [
                "2025-04-20T10:00:00+02:00 policy-applies",
                "2025-04-27T09:00:00+02:00 deadline-reminder",
                "2025-05-13T09:00:00+02:00 deadline-reminder",
                "2025-05-20T09:00:00+02:00 deadline-reminder",
                "2025-05-26T09:00:00+02:00 deadline-reminder",
                "2025-05-27T09:00:00+02:00 policy-effective",
            ])
        #expect(notices.allSatisfy { $0["pending"] as? [String] == ["ai-objection-form"] })
    }
}
