import Foundation

/// base64url without padding (RFC 4648, section 5): safe in a URL path as it is.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// `nil` for anything but the alphabet, without padding, and for all but the one
    /// spelling `encode` gives: a last character may carry bits that no byte holds, and
    /// a link with them set would open as the same link under another name.
    static func decode(_ text: Substring) -> [UInt8]? {
        guard let bytes = decodeAnySpelling(text), encode(bytes).utf8.elementsEqual(text.utf8) else { return nil }
        return bytes
    }

    private static func decodeAnySpelling(_ text: Substring) -> [UInt8]? {
        var standard = ""
        standard.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "-"): standard.append("+")
            case UInt8(ascii: "_"): standard.append("/")
            default: return nil
            }
        }
        guard standard.utf8.count % 4 != 1 else { return nil }
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}
