/// What text from outside (a note, a name from a file, an environment variable) may show
/// on a terminal or in a table, where it sits beside what optoutd itself says.
///
/// Control characters move the cursor, clear the screen or start escape sequences; line
/// breaks start what looks like another row; bidirectional overrides show text reversed;
/// invisible characters make two different names look the same.
public enum TerminalText {
    /// Whether `scalar` would act on a terminal or hide itself rather than show as text.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: true  // C0, DEL, C1
        case 0x2028, 0x2029: true  // line and paragraph separators
        case _ where isDirectionControl(scalar): true
        // Zero-width characters that no script needs (the joiners U+200C and U+200D are
        // parts of words in Persian and Indic scripts, and of emoji), and others that show
        // as nothing: the soft hyphen, the grapheme joiner, the Hangul fillers, invisible
        // operators, annotation marks and tags (which can carry hidden text).
        case 0x200B, 0x2060...0x2064, 0x206A...0x206F, 0xFEFF: true
        case 0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFFA0, 0xFFF9...0xFFFB: true
        case 0xE0000...0xE007F: true
        default: false
        }
    }

    /// Whether `scalar` is a bidirectional control: it makes text read in another order
    /// than it is written.
    public static func isDirectionControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` on one line, safe to print: line breaks show as `↵`, any other unsafe
    /// character as `\u{…}`.
    public static func oneLine(_ text: String) -> String {
        // Almost every text is printable ASCII, and stays as it is.
        var text = text
        if text.withUTF8({ $0.allSatisfy { (0x20..<0x7F).contains($0) } }) { return text }
        var shown = ""
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            defer { afterCarriageReturn = scalar == "\r" }
            if scalar == "\n" || scalar == "\r" {
                if !(scalar == "\n" && afterCarriageReturn) { shown += " ↵ " }
            } else if isUnsafe(scalar) {
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// A value as a message quotes it: in single quotes, at most 80 characters, with
    /// anything unsafe shown as `?`. A value that holds a single quote is put in double
    /// quotes instead, so that where it ends stays clear; one that holds both has its
    /// single quotes escaped.
    public static func quoted(_ text: some StringProtocol) -> String {
        let limit = 80
        let hasSingle = text.unicodeScalars.contains("'")
        let quote: Unicode.Scalar = hasSingle && !text.unicodeScalars.contains("\"") ? "\"" : "'"
        let escapes = hasSingle && quote == "'"
        var shown = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                shown += "…"
                break
            }
            if escapes && (scalar == "'" || scalar == "\\") {
                shown += "\\"
            }
            shown.unicodeScalars.append(isUnsafe(scalar) ? "?" : scalar)
            count += 1
        }
        return String(quote) + shown + String(quote)
    }
}

extension TerminalText {
    /// How many terminal columns `text` takes, as `wcwidth` counts them: two for a wide
    /// character (CJK ideographs, Hangul, fullwidth forms, emoji), none for marks that sit
    /// on the character before, one for the rest. Tables pad by this, so that a name in
    /// Chinese or with an emoji keeps the columns after it in line.
    public static func columns(_ text: String) -> Int {
        var text = text
        if let ascii = text.withUTF8({ bytes in bytes.allSatisfy { $0 < 0x80 } ? bytes.count : nil }) {
            return ascii
        }
        return text.reduce(0) { $0 + columns($1) }
    }

    /// A grapheme cluster's columns: its first scalar decides, unless an emoji
    /// presentation selector or a joined emoji makes it a picture.
    private static func columns(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if isWide(first) || scalars.contains(where: { $0 == "\u{FE0F}" || $0.properties.isEmojiPresentation }) {
            return 2
        }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: return isUnsafe(first) ? 0 : 1
        }
    }

    /// East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth.txt, W and F).
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default: false
        }
    }
}
