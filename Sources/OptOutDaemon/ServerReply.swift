import Foundation
import OptOutCore

/// The start of what a server answered, kept to be quoted in an error message: at most
/// `limit` bytes however much arrives, and shown as one line of valid UTF-8, with every
/// secret the request carried taken out.
struct ServerReply: Equatable {
    static let limit = 200

    /// What the request carried that must never be shown, longest first: a server may
    /// echo a header or a password back.
    private let secrets: [[UInt8]]
    /// Beyond `limit`, room for a secret that starts before it, so that it is found whole
    /// and no part of it is left at the cut.
    private let capacity: Int
    private(set) var bytes: [UInt8] = []
    /// Whether more arrived than was kept.
    private(set) var truncated = false

    init(redacting secrets: [String] = []) {
        self.secrets = secrets.filter { !$0.isEmpty }.map { Array($0.utf8) }.sorted { $0.count > $1.count }
        capacity = Self.limit + (self.secrets.first?.count ?? 0)
    }

    mutating func append(_ data: UnsafeRawBufferPointer) {
        let room = capacity - bytes.count
        if data.count > room { truncated = true }
        bytes += data.prefix(max(room, 0))
    }

    mutating func append(_ data: [UInt8]) {
        data.withUnsafeBytes { append($0) }
    }

    /// The reply as text: each secret becomes `[credential]`, then what starts within
    /// `limit` bytes is kept; control characters (line breaks among them), direction changes
    /// and invisible characters (`TerminalText.isUnsafe`) become spaces, bytes that are
    /// not UTF-8 become U+FFFD, a character cut at the limit is dropped, and the ends are
    /// trimmed. `nil` when nothing but white space arrived.
    var text: String? {
        var kept: [UInt8] = []
        var index = 0
        while index < min(bytes.count, Self.limit) {
            if let secret = secrets.first(where: { bytes[index...].starts(with: $0) }) {
                kept += Array("[credential]".utf8)
                index += secret.count
            } else {
                kept.append(bytes[index])
                index += 1
            }
        }
        let cut = truncated || index < bytes.count
        // A multi-byte character cut by the limit is dropped rather than shown as U+FFFD.
        if cut, let start = kept.lastIndex(where: { $0 & 0xC0 != 0x80 }), kept[start] >= 0xC0 {
            let length = kept[start] >= 0xF0 ? 4 : kept[start] >= 0xE0 ? 3 : 2
            if kept.endIndex - start < length { kept.removeSubrange(start...) }
        }
        var text = ""
        for scalar in String(decoding: kept, as: UTF8.self).unicodeScalars {
            text.unicodeScalars.append(TerminalText.isUnsafe(scalar) ? " " : scalar)
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return cut ? trimmed + "…" : trimmed
    }
}
