/// Text made safe to place in HTML or SVG, as element content or a quoted attribute value.
enum HTMLText {
    static func escaped(_ text: String) -> String {
        var buffer = TextBuffer()
        append(text, to: &buffer)
        return buffer.text
    }

    /// Appends `text` escaped: reports escape every field of every row, so the bytes are
    /// scanned in place and copied whole when nothing needs escaping.
    static func append(_ text: String, to buffer: inout TextBuffer) {
        var text = text
        guard text.withUTF8({ $0.contains(where: needsEscaping) }) else {
            buffer.append(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): buffer.append("&amp;")
            case UInt8(ascii: "<"): buffer.append("&lt;")
            case UInt8(ascii: ">"): buffer.append("&gt;")
            case UInt8(ascii: "\""): buffer.append("&quot;")
            case UInt8(ascii: "'"): buffer.append("&#39;")
            default: buffer.append(byte: byte)
            }
        }
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
