/// The `web:` section: where people confirm their own opt-outs (`optoutd serve`), and for
/// how long the links that messages carry stay valid.
public struct WebSettings: Hashable, Sendable {
    /// The public address of the confirmation pages, such as `https://privacy.example.org`;
    /// links are `BASE_URL/c/TOKEN`. Without a trailing `/`.
    public var baseURL: String
    /// How long a link stays valid after it is made.
    public var linkValidSeconds: Int
    /// The credential holding the key that signs links; `nil` to generate one in the state
    /// directory at first use.
    public var keyCredential: String?

    public static let defaultLinkValidSeconds = 30 * 86_400

    public init(baseURL: String, linkValidSeconds: Int = Self.defaultLinkValidSeconds, keyCredential: String? = nil) {
        self.baseURL = baseURL
        self.linkValidSeconds = linkValidSeconds
        self.keyCredential = keyCredential
    }

    /// The path of `baseURL` (empty for none): a base URL with a path is served behind a
    /// proxy that takes the path away, so `serve` answers `/c/TOKEN` while its pages link
    /// and post to `PATH/c/TOKEN`.
    public var path: String {
        String(baseURL.dropFirst(origin.count))
    }

    /// `scheme://host[:port]` of `baseURL`: what a browser sends as `Origin` from its pages.
    public var origin: String {
        guard let schemeEnd = baseURL.range(of: "://") else { return baseURL }
        let rest = baseURL[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        return String(baseURL[..<schemeEnd.upperBound]) + authority
    }
}
