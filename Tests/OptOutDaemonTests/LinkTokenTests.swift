import Crypto
import Foundation
import OptOutCore
import Testing

@testable import OptOutDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// Confirmation links: what they carry, that nothing else opens them, and their key.
struct LinkTokenTests {
    let key = SymmetricKey(data: Array(repeating: UInt8(7), count: 32))
    let now = Instant(secondsSince1970: 1_800_000_000)

    func token(accounts: [String] = ["alice", "alice-pages"]) -> LinkToken {
        LinkToken(recipient: "alice@example.org", accounts: accounts, expires: now.adding(seconds: 3600))
    }

    @Test func aSealedLinkOpensToWhatItWasMadeFor() throws {
        let sealed = token().sealed(with: key)
        #expect(
            sealed.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-_.".utf8.contains(byte)
            })
        let opened = try LinkToken.open(sealed, key: key, now: now)
        #expect(opened == token())
        #expect(opened.scope == .accounts(["alice", "alice-pages"]))
    }

    @Test func aLinkPastItsExpiryIsExpiredButATamperedOneIsUnknown() throws {
        let sealed = token().sealed(with: key)
        #expect(throws: LinkToken.Rejection.expired) {
            try LinkToken.open(sealed, key: key, now: now.adding(seconds: 3600))
        }
        var bytes = Array(sealed.utf8)
        bytes[3] = bytes[3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: LinkToken.Rejection.unknown) {
            try LinkToken.open(String(decoding: bytes, as: UTF8.self), key: key, now: now.adding(seconds: 7200))
        }
    }

    @Test func everyChangedCharacterAndEveryOtherKeyIsRefused() {
        let sealed = Array(token().sealed(with: key).utf8)
        for index in sealed.indices {
            var changed = sealed
            changed[index] = changed[index] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
            #expect(throws: LinkToken.Rejection.unknown) {
                try LinkToken.open(String(decoding: changed, as: UTF8.self), key: key, now: now)
            }
        }
        let other = SymmetricKey(data: Array(repeating: UInt8(8), count: 32))
        #expect(throws: LinkToken.Rejection.unknown) {
            try LinkToken.open(String(decoding: sealed, as: UTF8.self), key: other, now: now)
        }
    }

    /// A link has one spelling: a last character that differs only in bits no byte holds
    /// names the same bytes, and is refused, so each link has one fingerprint in the logs.
    @Test func onlyTheOneSpellingOfALinkOpens() {
        let sealed = token().sealed(with: key)
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        let opening = alphabet.filter { last in
            (try? LinkToken.open(String(sealed.dropLast()) + String(last), key: key, now: now)) != nil
        }
        #expect(opening == String(sealed.last!))
    }

    @Test(arguments: ["", ".", "abc", "a.b", "%2e%2e.x", String(repeating: "A", count: 5000) + ".AAAA", "é.é"])
    func malformedTextIsUnknown(text: String) {
        #expect(throws: LinkToken.Rejection.unknown) { try LinkToken.open(text, key: key, now: now) }
    }

    @Test func manyAccountsMakeALinkForAllOfTheRecipientsAccountsThatStaysShort() throws {
        let accounts = (0..<500).map { "account-number-\($0)" }
        let sealed = token(accounts: accounts).sealed(with: key)
        #expect(sealed.utf8.count < 400)
        #expect(try LinkToken.open(sealed, key: key, now: now).scope == .allOfRecipient)
    }

    @Test func theFingerprintIsShortAndNeverTheLink() {
        let sealed = token().sealed(with: key)
        let fingerprint = LinkToken.fingerprint(sealed)
        #expect(fingerprint.count == 12)
        #expect(!sealed.contains(fingerprint))
    }

    @Test func aKeyIsMadeOncePrivatelyAndKeptWhileOthersAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("link-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state.sqlite").path
        let web = WebSettings(baseURL: "https://privacy.example.org")
        let first = try LinkKey.load(web, credentials: Credentials(directory: nil), statePath: state)
        #expect(first.count == 32)
        #expect(try LinkKey.load(web, credentials: Credentials(directory: nil), statePath: state) == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: state + ".link-key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // A key others may read is not a secret any more.
        chmod(state + ".link-key", 0o644)
        #expect(throws: DeliveryError.self) {
            try LinkKey.load(web, credentials: Credentials(directory: nil), statePath: state)
        }
        // A credential names the key instead; a short one is refused without showing it.
        try "too-short\n".write(to: directory.appendingPathComponent("link-key"), atomically: true, encoding: .utf8)
        let named = WebSettings(baseURL: "https://privacy.example.org", keyCredential: "link-key")
        #expect {
            try LinkKey.load(named, credentials: Credentials(directory: directory.path), statePath: state)
        } throws: { error in
            "\(error)".contains("credential 'link-key'") && !"\(error)".contains("too-short")
        }
    }
}
