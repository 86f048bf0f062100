import OptOutCore
import Testing

@testable import OptOutConfig

/// The `web:` section: the public address of the confirmation pages and their links.
@Suite struct WebConfigurationTests {
    let directory = TemporaryDirectory()

    func load(_ web: String) -> (Configuration?, [String]) {
        let path = directory.write(
            "optoutd.yaml",
            "version: 1\ntimezone: UTC\n\(web)\naccounts:\n  - {id: a, platform: linkedin, region: DE}\n")
        let loaded = ConfigurationLoader().load(path: path)
        return (
            loaded.configuration,
            loaded.diagnostics.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
        )
    }

    @Test func theSectionIsReadWithItsDefaults() throws {
        let (configuration, diagnostics) = load("web: {base_url: \"https://privacy.example.org/optout/\"}")
        #expect(diagnostics.isEmpty)
        let web = try #require(configuration?.web)
        #expect(web.baseURL == "https://privacy.example.org/optout")
        #expect(web.origin == "https://privacy.example.org")
        #expect(web.path == "/optout")
        #expect(web.linkValidSeconds == 30 * 86_400)
        #expect(web.keyCredential == nil)
        #expect(load("").0?.web == nil)
        let (named, _) = load("web: {base_url: \"http://127.0.0.1:8470\", link_valid: 2w, key_credential: link-key}")
        #expect(
            named?.web
                == WebSettings(
                    baseURL: "http://127.0.0.1:8470", linkValidSeconds: 14 * 86_400, keyCredential: "link-key"))
    }

    @Test(arguments: [
        (
            "web: {base_url: \"https://privacy.example.org/?a=1\"}",
            "optoutd.yaml:3:17: error: base_url 'https://privacy.example.org/?a=1' must not hold a query or fragment: links are BASE_URL/c/TOKEN"
        ),
        (
            "web: {base_url: \"ftp://privacy.example.org\"}",
            "optoutd.yaml:3:17: error: base_url 'ftp://privacy.example.org' must start with http:// or https://"
        ),
        (
            "web: {base_url: \"https://privacy.example.org\", link_valid: 99999d}",
            "optoutd.yaml:3:60: error: link_valid must be a duration such as 30d, 2w or 12h, from 1h to 3650d, not '99999d'"
        ),
        (
            "web: {base_url: \"https://privacy.example.org\", key_credential: ../key}",
            "optoutd.yaml:3:64: error: key_credential must be a credential name (a file name, no '/'), not '../key'"
        ),
        ("web: {link_valid: 1d}", "optoutd.yaml:3:6: error: web needs 'base_url'"),
    ])
    func aBadValueIsALocatedError(web: String, expected: String) {
        let (configuration, diagnostics) = load(web)
        #expect(configuration == nil)
        #expect(diagnostics == [expected])
    }
}
