import Crypto
import OptOutCore

/// Makes the personal links that messages carry: `BASE_URL/c/TOKEN`.
public struct ConfirmationLinks: Sendable {
    public let settings: WebSettings
    /// The key's bytes: `SymmetricKey` is not `Sendable`, so one is made for each use.
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(settings: WebSettings, key: [UInt8]) {
        self.settings = settings
        keyBytes = key
    }

    /// Loads the key for `configuration`'s `web:` section; `nil` when it has none.
    public static func load(for configuration: Configuration, credentials: Credentials, statePath: String)
        throws(DeliveryError) -> ConfirmationLinks?
    {
        guard let web = configuration.web else { return nil }
        return ConfirmationLinks(
            settings: web, key: try LinkKey.load(web, credentials: credentials, statePath: statePath))
    }

    /// A link for `recipient` covering `accounts`, valid from `now` for `web.link_valid`.
    public func url(recipient: String, accounts: [String], now: Instant) -> String {
        let token = LinkToken(
            recipient: recipient, accounts: accounts, expires: now.adding(seconds: settings.linkValidSeconds))
        return settings.baseURL + "/c/" + token.sealed(with: key)
    }

    /// The link a notice's document carries: for the account's owner, that account.
    public func url(for notice: Notice, now: Instant) -> String {
        url(recipient: notice.account.email ?? notice.account.id, accounts: [notice.account.id], now: now)
    }

    /// What `text` (the part after `/c/`) stands for now.
    public func open(_ text: String, now: Instant) throws(LinkToken.Rejection) -> LinkToken {
        try LinkToken.open(text, key: key, now: now)
    }
}
