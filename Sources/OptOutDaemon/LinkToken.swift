import Crypto
import Foundation
import OptOutCore

/// What a confirmation link stands for: who it was made for, the accounts it covers and
/// until when, sealed with an HMAC-SHA256 so that the server checks it without a lookup.
///
/// The sealed form is URL-safe: `PAYLOAD.MAC`, both base64url without padding, where the
/// payload is the version, the expiry, the recipient and the account ids, one per line.
/// A recipient with more accounts than fit in a short link gets a link for all accounts
/// whose address is theirs.
public struct LinkToken: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        case accounts([String])
        /// Every account whose `email` is the recipient's address.
        case allOfRecipient
    }

    public var recipient: String
    public var scope: Scope
    public var expires: Instant

    /// Why a sealed text is not a link that may be used now.
    public enum Rejection: Error, Sendable, Equatable {
        /// Not made with this key: malformed, tampered with, or made with an old key.
        case unknown
        /// Genuine, but past its expiry.
        case expired
    }

    /// The longest sealed text read at all; longer ones are rejected unread.
    public static let maximumLength = 4096
    /// Account ids beyond this many bytes make a link for all of the recipient's accounts.
    static let longestAccountList = 1024
    private static let version = "1"
    /// Keeps these MACs apart from anything else the key might ever sign.
    private static let context = Array("optoutd-confirmation-link\n".utf8)

    public init(recipient: String, accounts: [String], expires: Instant) {
        self.recipient = recipient
        self.expires = expires
        let length = accounts.reduce(0) { $0 + $1.utf8.count + 1 }
        scope = length > Self.longestAccountList ? .allOfRecipient : .accounts(accounts)
    }

    private init(recipient: String, scope: Scope, expires: Instant) {
        self.recipient = recipient
        self.scope = scope
        self.expires = expires
    }

    /// The text for `BASE_URL/c/TEXT`.
    public func sealed(with key: SymmetricKey) -> String {
        let accounts: [String] =
            switch scope {
            case .accounts(let ids): ids
            case .allOfRecipient: ["*"]
            }
        let lines = [Self.version, String(expires.secondsSince1970), recipient] + accounts
        let payload = Base64URL.encode(Array(lines.joined(separator: "\n").utf8))
        return payload + "." + Base64URL.encode(Self.mac(payload, key: key))
    }

    /// The link `text` stands for, if `key` made it and it has not expired at `now`. The
    /// MAC is checked (in constant time) before anything in the payload is believed.
    public static func open(_ text: String, key: SymmetricKey, now: Instant) throws(Rejection) -> LinkToken {
        guard text.utf8.count <= maximumLength, let dot = text.utf8.lastIndex(of: UInt8(ascii: ".")) else {
            throw .unknown
        }
        let payload = String(text[..<dot])
        guard let mac = Base64URL.decode(text[text.utf8.index(after: dot)...]),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: context + Array(payload.utf8), using: key),
            let bytes = Base64URL.decode(payload[...])
        else { throw .unknown }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines[0] == Self.version, let expiry = Int(lines[1]), !lines[2].isEmpty else {
            throw .unknown
        }
        let accounts = lines[3...].map(String.init)
        let token = LinkToken(
            recipient: String(lines[2]), scope: accounts == ["*"] ? .allOfRecipient : .accounts(accounts),
            expires: Instant(secondsSince1970: expiry))
        guard now < token.expires else { throw .expired }
        return token
    }

    /// A short name for a sealed text, for logs: links are secrets and never logged whole.
    public static func fingerprint(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).prefix(6).hexadecimal
    }

    private static func mac(_ payload: String, key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: context + Array(payload.utf8), using: key))
    }
}
