import Foundation
import OptOutCore

/// The start of what a server answered, kept to be quoted in an error message: at most
/// `limit` bytes however much arrives, and shown as one line of valid UTF-8.
struct ServerReply: Equatable {
    static let limit = 200

    private(set) var bytes: [UInt8] = []
    /// Whether more arrived than was kept.
    private(set) var truncated = false

    mutating func append(_ data: UnsafeRawBufferPointer) {
        let room = Self.limit - bytes.count
        if data.count > room { truncated = true }
        bytes += data.prefix(max(room, 0))
    }

    mutating func append(_ data: [UInt8]) {
        data.withUnsafeBytes { append($0) }
    }

    /// The reply as text: control characters (line breaks among them), direction changes
    /// and invisible characters (`TerminalText.isUnsafe`) become spaces, bytes that are
    /// not UTF-8 become U+FFFD, a character cut at the limit is dropped, and the ends are
    /// trimmed. `nil` when nothing but white space arrived.
    var text: String? {
        var kept = bytes[...]
        // A multi-byte character cut by the limit is dropped rather than shown as U+FFFD.
        if truncated, let start = kept.lastIndex(where: { $0 & 0xC0 != 0x80 }), kept[start] >= 0xC0 {
            let length = kept[start] >= 0xF0 ? 4 : kept[start] >= 0xE0 ? 3 : 2
            if kept.endIndex - start < length { kept = kept[..<start] }
        }
        var text = ""
        for scalar in String(decoding: kept, as: UTF8.self).unicodeScalars {
            text.unicodeScalars.append(TerminalText.isUnsafe(scalar) ? " " : scalar)
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return truncated ? trimmed + "…" : trimmed
    }
}
