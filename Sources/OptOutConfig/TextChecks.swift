/// Checks on text that reaches a header, a protocol line or a terminal.
enum TextChecks {
    /// The first scalar that may not stand in one line of text: C0 and C1 controls, DEL,
    /// the line and paragraph separators, and the bidirectional overrides that make text
    /// read differently from what it holds. Swift reads "\r\n" as one `Character`, so this
    /// looks at Unicode scalars, never at characters.
    static func forbiddenScalar(in text: String, allowNewlines: Bool = false) -> Unicode.Scalar? {
        // Most text is ASCII: the bytes answer for it.
        let isControl = { (byte: UInt8) in
            (byte < 0x20 && !(allowNewlines && byte == UInt8(ascii: "\n"))) || byte == 0x7F
        }
        var hasNonASCII = false
        for byte in text.utf8 {
            if isControl(byte) { return Unicode.Scalar(byte) }
            if byte >= 0x80 { hasNonASCII = true }
        }
        guard hasNonASCII else { return nil }
        return text.unicodeScalars.first { scalar in
            switch scalar.value {
            case 0x80...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
    }

    /// How a forbidden scalar is named in a message.
    static func name(of scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\r": "CR"
        case "\n": "LF"
        case "\0": "NUL"
        default: "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        }
    }
}

/// A value as an error message quotes it: in single quotes, at most 80 characters, with
/// anything that could break the message's line shown as `?`.
func quoted(_ text: some StringProtocol) -> String {
    let limit = 80
    var shown = ""
    var count = 0
    for scalar in text.unicodeScalars {
        if count == limit {
            shown += "…"
            break
        }
        shown.unicodeScalars.append(
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
                || scalar.value == 0x2029 ? "?" : scalar)
        count += 1
    }
    return "'" + shown + "'"
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
