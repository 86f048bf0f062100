import OptOutCore

/// A look at a Mustache template's tags before the parser reads it.
///
/// The parser descends once per open section, on the stack of the thread that reads the
/// configuration: a template whose sections nest some thousands deep (a file of a few
/// kilobytes) would overflow it and end the process, the daemon on reload included. This
/// reads the tags as the parser does (following delimiter changes) and finds what it must
/// not be given: sections nested deeper than `nestingLimit`, and a tag that is never closed.
struct TemplateTags {
    /// Deeper than any template a person writes; far from what the stack holds.
    static let nestingLimit = 64

    /// What is wrong, and the place of the tag (1-based; columns count Unicode scalars).
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The first problem of `text`, if any. Anything else (a section closed with another
    /// name, a bad delimiter change) is left to the parser, which says it better.
    static func problem(in text: String, nestingLimit: Int = nestingLimit) -> Problem? {
        let bytes = Array(text.utf8)
        var opening = Array("{{".utf8)
        var closing = Array("}}".utf8)
        var depth = 0
        var index = 0
        while let start = bytes.firstIndex(of: opening, from: index) {
            let contentStart = start + opening.count
            guard let end = bytes.firstIndex(of: closing, from: contentStart) else {
                return Problem(place: start, in: bytes, message: "a tag is not finished")
            }
            let content = bytes[contentStart..<end].drop { $0 == UInt8(ascii: " ") }
            switch content.first {
            case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "<"):
                depth += 1
                if depth > nestingLimit {
                    return Problem(
                        place: start, in: bytes, message: "sections are nested more than \(nestingLimit) deep")
                }
            case UInt8(ascii: "/"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "="):
                // `{{=<% %>=}}`: the two new delimiters, between the equals signs.
                let delimiters = content.dropFirst().split(separator: UInt8(ascii: " "))
                guard delimiters.count == 2, delimiters[1].last == UInt8(ascii: "="), delimiters[1].count > 1 else {
                    return nil
                }
                opening = Array(delimiters[0])
                closing = Array(delimiters[1].dropLast())
            default:
                break
            }
            index = end + closing.count
        }
        return nil
    }
}

extension TemplateTags.Problem {
    /// A problem at byte offset `place` of `bytes`.
    fileprivate init(place: Int, in bytes: [UInt8], message: String) {
        let location = bytes.withUnsafeBufferPointer { SourceLocation(path: "", offset: place, in: $0) }
        self.init(line: location.line, column: location.column, message: message)
    }
}

extension Array where Element == UInt8 {
    /// Where `needle` first occurs at or after `start`.
    fileprivate func firstIndex(of needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var index = start
        while index <= count - needle.count {
            if self[index] == needle[0], self[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
