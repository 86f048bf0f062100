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

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 256)

    /// A decimal number, zero-padded to `width` digits.
    public mutating func append(decimal value: Int, width: Int = 1) {
        append(atMost: max(width, 20) + 1) { $0.append(decimal: value, width: width) }
    }

    /// A calendar date as `YYYY-MM-DD`.
    public mutating func append(date: CivilDate) {
        append(atMost: TextCursor.longestDate) { $0.append(date: date) }
    }

    /// RFC 3339 with a known UTC offset, such as `2025-10-27T09:00:00+01:00`.
    public mutating func append(instant: Instant, utcOffset offset: Int) {
        append(atMost: TextCursor.longestInstant) { $0.append(instant: instant, utcOffset: offset) }
    }

    /// Appends what `body` writes through a cursor over `limit` bytes reserved at the end,
    /// spaces until written over; the text ends where the cursor does. One reservation for
    /// a whole table row spares the checks of growing the buffer for every cell.
    public mutating func append(atMost limit: Int, _ body: (inout TextCursor) -> Void) {
        let start = bytes.count
        append(spaces: limit)
        let written = bytes.withUnsafeMutableBufferPointer { all in
            var cursor = TextCursor(UnsafeMutableBufferPointer(rebasing: all[start...]))
            body(&cursor)
            return cursor.count
        }
        bytes.removeLast(limit - written)
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

/// Writes text into memory reserved for it (see `TextBuffer.append(atMost:_:)`). Writing past
/// the reservation stops the program.
public struct TextCursor {
    private let space: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far; the next one goes there.
    public private(set) var count = 0

    /// The longest `append(date:)`: a sign and 19 digits of year, then `-MM-DD`.
    public static let longestDate = 26
    /// The longest `append(instant:utcOffset:)`: a date, `THH:MM:SS` and `+HH:MM`.
    public static let longestInstant = longestDate + 15

    init(_ space: UnsafeMutableBufferPointer<UInt8>) {
        self.space = space
    }

    public mutating func append(byte: UInt8) {
        precondition(count < space.count, "text past the reserved space")
        space[count] = byte
        count += 1
    }

    public mutating func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            for byte in text.utf8 { append(byte: byte) }
        }
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        precondition(count + bytes.count <= space.count, "text past the reserved space")
        (space.baseAddress! + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Moves on to byte `offset` without writing (what is there stays); nothing when it is behind.
    public mutating func skip(to offset: Int) {
        precondition(offset <= space.count, "skip past the reserved space")
        count = max(count, offset)
    }

    /// A decimal number, zero-padded to `width` digits.
    public mutating func append(decimal value: Int, width: Int = 1) {
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        var digits = 1
        var rest = value.magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        write(value.magnitude, digits: max(digits, width))
    }

    /// A calendar date as `YYYY-MM-DD`.
    public mutating func append(date: CivilDate) {
        let (year, month, day) = date.components
        if (0...9999).contains(year) {
            write(UInt(year), digits: 4)
        } else {
            append(decimal: year, width: 4)
        }
        append(byte: UInt8(ascii: "-"))
        write(UInt(month), digits: 2)
        append(byte: UInt8(ascii: "-"))
        write(UInt(day), digits: 2)
    }

    /// RFC 3339 with a known UTC offset, such as `2025-10-27T09:00:00+01:00`.
    public mutating func append(instant: Instant, utcOffset offset: Int) {
        let local = instant.secondsSince1970 + offset
        let day = local.floorDivided(by: 86_400)
        append(date: CivilDate(dayNumber: day))
        append(byte: UInt8(ascii: "T"))
        write(time: local - day * 86_400, seconds: true)
        if offset == 0 {
            append(byte: UInt8(ascii: "Z"))
        } else {
            append(byte: offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            write(time: abs(offset), seconds: false)
        }
    }

    /// `value` in decimal, right-aligned in `digits` and zero-padded.
    private mutating func write(_ value: UInt, digits: Int) {
        precondition(count + digits <= space.count, "digits past the reserved space")
        var rest = value
        for index in (count..<count + digits).reversed() {
            space[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count += digits
    }

    /// `HH:MM:SS`, or `HH:MM` without `seconds`, from seconds into a day.
    private mutating func write(time: Int, seconds: Bool) {
        write(UInt(time / 3600), digits: 2)
        append(byte: UInt8(ascii: ":"))
        write(UInt(time / 60 % 60), digits: 2)
        if seconds {
            append(byte: UInt8(ascii: ":"))
            write(UInt(time % 60), digits: 2)
        }
    }
}
