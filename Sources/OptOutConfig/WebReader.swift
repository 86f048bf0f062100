import Foundation
import OptOutCore

/// Reads the `web:` section: the confirmation pages' public address, how long links stay
/// valid and where their key comes from.
struct WebReader {
    let yaml: YAMLReader

    func web(_ node: YAMLNode) -> WebSettings? {
        guard
            let fields = yaml.fields(
                node, "web", allowed: ["base_url", "link_valid", "key_credential"], required: ["base_url"])
        else { return nil }
        let baseURL = fields["base_url"].flatMap(baseURL)
        let valid = fields["link_valid"].flatMap { yaml.interval($0, "link_valid") }
        let key = fields["key_credential"].flatMap { yaml.credentialName($0, "key_credential") }
        guard let baseURL else { return nil }
        return WebSettings(
            baseURL: baseURL, linkValidSeconds: valid?.seconds ?? WebSettings.defaultLinkValidSeconds,
            keyCredential: key)
    }

    /// An http(s) address with no query or fragment, since `/c/TOKEN` is appended to it.
    private func baseURL(_ node: YAMLNode) -> String? {
        guard var url = yaml.checkedURL(node, "base_url", schemes: ["http", "https"]) else { return nil }
        guard !url.contains("?"), !url.contains("#") else {
            yaml.error(
                "base_url \(TerminalText.quoted(url)) must not hold a query or fragment: links are BASE_URL/c/TOKEN",
                at: node)
            return nil
        }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
