import Foundation
import OptOutCore
import Testing

@testable import OptOutConfig

/// A webhook's `format` and `signing_secret_credential`.
struct WebhookConfigurationTests {
    let directory = TemporaryDirectory()

    func load(_ webhooks: String) -> (Configuration?, [String]) {
        let path = directory.write(
            "optoutd.yaml", "version: 1\ntimezone: UTC\nchannels:\n  webhooks:\n" + webhooks)
        let loaded = ConfigurationLoader().load(path: path)
        return (
            loaded.configuration,
            loaded.diagnostics.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
        )
    }

    @Test func formatsAndTheSigningSecretAreRead() throws {
        let (configuration, diagnostics) = load(
            """
                - {name: plain, url: "https://example.org/a"}
                - {name: team, url: "https://example.org/b", format: teams, signing_secret_credential: team-signing}
            """)
        #expect(diagnostics == [])
        let webhooks = try #require(configuration?.channels.webhooks)
        #expect(webhooks.map(\.format) == [.json, .teams])
        #expect(webhooks.map(\.signingSecretCredential) == [nil, "team-signing"])
    }

    @Test func anUnknownFormatOrABadCredentialNameIsALocatedError() {
        let (configuration, diagnostics) = load(
            """
                - {name: chat, url: "https://example.org/a", format: discord, signing_secret_credential: ../secret}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:5:58: error: format must be json, slack, mattermost or teams, not 'discord'",
                "optoutd.yaml:5:94: error: signing_secret_credential must be a credential name (a file name, no '/'), not '../secret'",
            ])
    }
}
