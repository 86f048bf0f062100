/// UTF-8 text being produced for output, kept as bytes: reports can hold millions of
/// lines, and appending bytes costs far less than growing a `String`.
///
/// Every write appends to the buffer, which grows as needed: no reservation of a size
/// worked out beforehand can be outgrown.
public struct TextBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { bytes.count }

    public mutating func append(_ text: String) {
        // Native strings hold their UTF-8 in one piece: copied at once, not byte by byte.
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: text.utf8)
        }
    }

    public mutating func append(_ bytes: [UInt8]) {
        self.bytes.append(contentsOf: bytes)
    }

    public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    /// `count` spaces; nothing when `count` is not positive.
    public mutating func append(spaces count: Int) {
        var left = count
        while left > 0 {
            let now = min(left, Self.spaces.count)
            Self.spaces.withUnsafeBufferPointer {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<now]))
            }
            left -= now
        }
    }

    /// Copied from in one piece: padding a cell is one copy, not a loop over its spaces.
    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 256)

    /// A decimal number, zero-padded to `width` digits.
    public mutating func append(decimal value: Int, width: Int = 1) {
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        var digits = 1
        var rest = value.magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        append(value.magnitude, digits: max(digits, width))
    }

    /// A calendar date as `YYYY-MM-DD`.
    public mutating func append(date: CivilDate) {
        let (year, month, day) = date.components
        if (0...9999).contains(year) {
            append(UInt(year), digits: 4)
        } else {
            append(decimal: year, width: 4)
        }
        append(byte: UInt8(ascii: "-"))
        append(UInt(month), digits: 2)
        append(byte: UInt8(ascii: "-"))
        append(UInt(day), digits: 2)
    }

    /// RFC 3339 with a known UTC offset, such as `2025-10-27T09:00:00+01:00`.
    public mutating func append(instant: Instant, utcOffset offset: Int) {
        let local = instant.secondsSince1970 + offset
        let day = local.floorDivided(by: 86_400)
        append(date: CivilDate(dayNumber: day))
        append(byte: UInt8(ascii: "T"))
        append(time: local - day * 86_400, seconds: true)
        if offset == 0 {
            append(byte: UInt8(ascii: "Z"))
        } else {
            append(byte: offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            append(time: abs(offset), seconds: false)
        }
    }

    /// Lends the bytes so far to `body`.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes(body)
    }

    /// Starts empty again, keeping the memory for what comes next.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `value` in decimal, right-aligned in `digits` and zero-padded.
    private mutating func append(_ value: UInt, digits: Int) {
        let end = bytes.count + digits
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var rest = value
        var index = end
        while rest > 0, index > end - digits {
            index -= 1
            bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// `HH:MM:SS`, or `HH:MM` without `seconds`, from seconds into a day.
    private mutating func append(time: Int, seconds: Bool) {
        append(UInt(time / 3600), digits: 2)
        append(byte: UInt8(ascii: ":"))
        append(UInt(time / 60 % 60), digits: 2)
        if seconds {
            append(byte: UInt8(ascii: ":"))
            append(UInt(time % 60), digits: 2)
        }
    }
}
