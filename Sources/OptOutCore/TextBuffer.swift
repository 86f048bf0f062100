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
        var left = count
        while left > 0 {
            let now = min(left, Self.spaces.count)
            Self.spaces.withUnsafeBufferPointer { bytes.append(contentsOf: $0[..<now]) }
            left -= now
        }
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    /// A decimal number, zero-padded to `width` digits.
    public mutating func append(decimal value: Int, width: Int = 1) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        var digits = 1
        var rest = value.magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        appendInPlace(max(digits, width)) { Self.write(value.magnitude, digits: $0) }
    }

    /// A calendar date as `YYYY-MM-DD`.
    public mutating func append(date: CivilDate) {
        let (year, month, day) = date.components
        guard (0...9999).contains(year) else {
            append(decimal: year, width: 4)
            appendInPlace(6) { Self.write(month: month, day: day, into: $0) }
            return
        }
        appendInPlace(10) { text in
            Self.write(UInt(year), digits: UnsafeMutableBufferPointer(rebasing: text[0..<4]))
            Self.write(month: month, day: day, into: UnsafeMutableBufferPointer(rebasing: text[4...]))
        }
    }

    /// RFC 3339 with a known UTC offset, such as `2025-10-27T09:00:00+01:00`.
    public mutating func append(instant: Instant, utcOffset offset: Int) {
        let local = instant.secondsSince1970 + offset
        let day = local.floorDivided(by: 86_400)
        let second = local - day * 86_400
        append(date: CivilDate(dayNumber: day))
        appendInPlace(offset == 0 ? 10 : 15) { text in
            text[0] = UInt8(ascii: "T")
            Self.write(time: second, into: UnsafeMutableBufferPointer(rebasing: text[1..<9]))
            if offset == 0 {
                text[9] = UInt8(ascii: "Z")
                return
            }
            text[9] = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            Self.write(time: abs(offset), into: UnsafeMutableBufferPointer(rebasing: text[10..<15]))
        }
    }

    /// Grows the text by `count` bytes (at most 32), which `body` fills in.
    private mutating func appendInPlace(_ count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
            let text = UnsafeMutableBufferPointer(rebasing: scratch[..<count])
            body(text)
            bytes.append(contentsOf: text)
        }
    }

    /// `value` in decimal, right-aligned in `digits` and zero-padded (the buffer must be wide enough).
    private static func write(_ value: UInt, digits: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for index in digits.indices.reversed() {
            digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// `-MM-DD`.
    private static func write(month: Int, day: Int, into text: UnsafeMutableBufferPointer<UInt8>) {
        text[0] = UInt8(ascii: "-")
        write(UInt(month), digits: UnsafeMutableBufferPointer(rebasing: text[1..<3]))
        text[3] = UInt8(ascii: "-")
        write(UInt(day), digits: UnsafeMutableBufferPointer(rebasing: text[4..<6]))
    }

    /// `HH:MM:SS` for 8 bytes, `HH:MM` for 5, from seconds into a day.
    private static func write(time seconds: Int, into text: UnsafeMutableBufferPointer<UInt8>) {
        write(UInt(seconds / 3600), digits: UnsafeMutableBufferPointer(rebasing: text[0..<2]))
        text[2] = UInt8(ascii: ":")
        write(UInt(seconds / 60 % 60), digits: UnsafeMutableBufferPointer(rebasing: text[3..<5]))
        if text.count == 8 {
            text[5] = UInt8(ascii: ":")
            write(UInt(seconds % 60), digits: UnsafeMutableBufferPointer(rebasing: text[6..<8]))
        }
    }

    /// Drops spaces at the end (a line's last cells may be empty).
    public mutating func trimTrailingSpaces() {
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
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
}
