import OptOutCore

/// Checks on text that reaches a header, a protocol line or a terminal.
enum TextChecks {
    /// The first scalar that may not stand in one line of text: C0 and C1 controls, DEL,
    /// the line and paragraph separators, the bidirectional controls that make text read
    /// differently from what it holds, and invisible characters (`TerminalText.isUnsafe`).
    /// Swift reads "\r\n" as one `Character`, so this looks at Unicode scalars, never at
    /// characters.
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
        return text.unicodeScalars.first { TerminalText.isUnsafe($0) }
    }

    /// What kind of forbidden scalar it is, as a message says it: not every one is a
    /// control character, and "invisible" says why a zero-width space is refused.
    static func kind(of scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: "a control character"
        case 0x2028: "a line separator"
        case 0x2029: "a paragraph separator"
        case _ where TerminalText.isDirectionControl(scalar): "a bidirectional control"
        default: "an invisible character"
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

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
