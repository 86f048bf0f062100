/// Writes JSON text straight into a `TextBuffer`.
public struct JSONWriter {
    public var buffer: TextBuffer
    /// Whether the innermost open object or array has a member yet.
    private var hasMember: [Bool] = []

    public init(buffer: TextBuffer = TextBuffer()) {
        self.buffer = buffer
    }

    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }
    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Starts a member of the current object: its name, then a value must follow.
    public mutating func key(_ name: String) {
        separate()
        writeString(name)
        buffer.append(byte: UInt8(ascii: ":"))
        hasMember[hasMember.count - 1] = false  // the value that follows needs no comma
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { writeString(value) } else { buffer.append("null") }
    }

    public mutating func number(_ value: Int) {
        separate()
        buffer.append(decimal: value)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        buffer.append(value ? "true" : "false")
    }

    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// A value already formatted as JSON text by `write` (for example a date-time).
    public mutating func raw(_ write: (inout TextBuffer) -> Void) {
        separate()
        write(&buffer)
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        buffer.append(byte: bracket)
        hasMember.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        hasMember.removeLast()
        buffer.append(byte: bracket)
        if !hasMember.isEmpty { hasMember[hasMember.count - 1] = true }
    }

    /// Writes the comma before every value of an array or object but the first.
    private mutating func separate() {
        guard let last = hasMember.last else { return }
        if last { buffer.append(byte: UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
    }

    private mutating func writeString(_ value: String) {
        buffer.append(byte: UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            buffer.append(value)
        } else {
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.append("\\\"")
                case UInt8(ascii: "\\"): buffer.append("\\\\")
                case UInt8(ascii: "\n"): buffer.append("\\n")
                case UInt8(ascii: "\r"): buffer.append("\\r")
                case UInt8(ascii: "\t"): buffer.append("\\t")
                case 0..<0x20:
                    buffer.append("\\u00")
                    buffer.append(byte >= 0x10 ? "1" : "0")
                    buffer.append(String(byte % 16, radix: 16))
                default: buffer.append(byte: byte)
                }
            }
        }
        buffer.append(byte: UInt8(ascii: "\""))
    }
}
