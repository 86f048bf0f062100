/// UTF-8 text being produced for output, kept as bytes: reports can hold millions of
/// lines, and appending bytes costs far less than growing a `String`.
public struct TextBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { bytes.count }

    public mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    /// `count` spaces.
    public mutating func append(spaces count: Int) {
        for _ in 0..<max(count, 0) { bytes.append(UInt8(ascii: " ")) }
    }

    /// A decimal number, zero-padded to `width` digits.
    public mutating func append(decimal value: Int, width: Int = 1) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            append(decimal: -value, width: width)
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0 || count < width
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// A calendar date as `YYYY-MM-DD`.
    public mutating func append(date: CivilDate) {
        let (year, month, day) = date.components
        append(decimal: year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        append(decimal: month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        append(decimal: day, width: 2)
    }

    /// RFC 3339 with a known UTC offset, such as `2025-10-27T09:00:00+01:00`.
    public mutating func append(instant: Instant, utcOffset offset: Int) {
        let local = instant.secondsSince1970 + offset
        let day = local.floorDivided(by: 86_400)
        let second = local - day * 86_400
        append(date: CivilDate(dayNumber: day))
        bytes.append(UInt8(ascii: "T"))
        append(decimal: second / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(decimal: second / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(decimal: second % 60, width: 2)
        if offset == 0 {
            bytes.append(UInt8(ascii: "Z"))
            return
        }
        bytes.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        append(decimal: abs(offset) / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(decimal: abs(offset) / 60 % 60, width: 2)
    }

    /// Drops spaces at the end (a line's last cells may be empty).
    public mutating func trimTrailingSpaces() {
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
    }

    /// Hands out the bytes so far and starts empty again.
    public mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
