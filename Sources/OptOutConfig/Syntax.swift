import OptOutCore

/// Why `text` cannot be a mail address optoutd sends to, as the end of a sentence that
/// starts with the address; `nil` when it can be.
///
/// Mail goes out without SMTPUTF8, so an address must be ASCII: a domain with other
/// letters is written in its ASCII (IDNA) form.
func addressProblem(_ text: String) -> String? {
    // Over the bytes in one piece: an inventory may hold 100,000 addresses.
    var text = text
    return text.withUTF8(addressProblem(bytes:))
}

private func addressProblem(bytes: UnsafeBufferPointer<UInt8>) -> String? {
    var at = 0
    var length = 0
    var lastAt = -1
    for byte in bytes {
        switch byte {
        case 0...0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "\\"):
            return "is not a mail address"
        case 0x80...:
            return
                "is not plain ASCII; optoutd sends mail without SMTPUTF8, so write the domain in its ASCII (xn--) form"
        case UInt8(ascii: "@"):
            at += 1
            lastAt = length
        default: break
        }
        length += 1
    }
    return at == 1 && lastAt > 0 && lastAt < length - 1 ? nil : "is not a mail address"
}

/// The address of `address` or `Display Name <address>`.
func mailboxAddress(_ text: String) -> String? {
    guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else { return text }
    return String(text[text.index(after: open)..<text.index(before: text.endIndex)])
}

/// An RFC 9110 token.
func isHeaderName(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.count <= ConfigurationLimits.idLength
        && text.unicodeScalars.allSatisfy {
            $0.isASCII
                && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                    || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0))
        }
}

/// Ids are read by commands as arguments: one that starts with `-` would be taken for an option.
/// Only ASCII letters and digits count: the first byte tells (any other scalar starts with
/// a byte of 0x80 or more).
func startsWithLetterOrDigit(_ text: String) -> Bool {
    guard let first = text.utf8.first else { return false }
    return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
}

/// The parts of a `scheme://host[:port]/…` URL that optoutd connects to.
struct URLAuthority: Equatable {
    var scheme: String
    var host: String
    var port: Int?
    /// `user[:password]@` was written before the host.
    var hasUserInfo: Bool

    /// Why `text` is not a URL of one of `schemes` that can be connected to; `nil` when it is.
    static func problem(in text: String, schemes: [String]) -> String? {
        guard text.utf8.count <= ConfigurationLimits.urlLength else {
            return "is longer than \(ConfigurationLimits.urlLength) bytes"
        }
        // A URL is ASCII: anything else (spaces, controls, other scripts) must be percent-encoded.
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "may hold only printable ASCII (percent-encode spaces and other characters)"
        }
        guard let authority = URLAuthority(text), schemes.contains(authority.scheme) else {
            return "must start with \(schemes.map { $0 + "://" }.joined(separator: " or "))"
        }
        if authority.hasUserInfo {
            return "must not hold a user name or password: secrets come from credentials, never from optoutd.yaml"
        }
        if authority.host.isEmpty { return "has no host" }
        if let port = authority.port, !(1...65535).contains(port) { return "has port \(port); ports are 1 to 65535" }
        return nil
    }

    init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        scheme = String(text[..<separator.lowerBound]).lowercased()
        let rest = text[separator.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        hasUserInfo = authority.contains("@")
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        host = String(hostPart)
        if let portText {
            // Digits only, and few enough that the number cannot overflow.
            guard !portText.isEmpty, portText.count <= 6, portText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
            port = Int(portText)
        }
        guard
            host.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:_%".unicodeScalars.contains($0))
            })
        else { return nil }
    }
}
