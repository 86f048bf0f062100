import OptOutCore

/// Splits RFC 4180 CSV text into records of located fields.
///
/// Fields may be quoted (`"…"`, with `""` for a quote) and then hold commas and line
/// breaks; records end with LF or CRLF; blank lines (or lines of spaces and tabs) are skipped. Columns count Unicode scalars.
struct CSVReader {
    let path: String
    let log: DiagnosticLog
    /// The text is known to be printable ASCII and line breaks, without quotes (see
    /// `isPlainASCII(_:)`): its columns are byte offsets.
    var isPlainASCII = false

    /// A place where a record starts: a byte offset and its line number.
    struct Position {
        var index: Int
        var line: Int

        static let start = Position(index: 0, line: 1)
    }

    /// One record as read: where its fields are. Their text is made only when asked for,
    /// as a row may have columns nobody reads. Valid only while the reader's body runs.
    struct Record {
        fileprivate struct Field {
            /// In the text, or for a quoted field in `unquoted`.
            var range: Range<Int>
            var isQuoted: Bool
            var line: Int
            var column: Int
        }

        fileprivate var fields: [Field] = []
        fileprivate let bytes: UnsafeBufferPointer<UInt8>
        /// The text of quoted fields, with `""` read as `"`.
        fileprivate var unquoted: [UInt8] = []
        let path: String

        fileprivate init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
            self.bytes = bytes
            self.path = path
        }

        var count: Int { fields.count }

        subscript(index: Int) -> Located<String> {
            let field = fields[index]
            let text =
                field.isQuoted
                ? String(decoding: unquoted[field.range], as: UTF8.self)
                : String(decoding: bytes[field.range], as: UTF8.self)
            return Located(value: text, location: location(index))
        }

        func location(_ index: Int) -> SourceLocation {
            SourceLocation(path: path, line: fields[index].line, column: fields[index].column)
        }

        /// A blank line: one unquoted field of nothing but spaces and tabs, if anything (a line
        /// that looks empty is skipped as one that is).
        fileprivate var isBlankLine: Bool {
            fields.count == 1 && !fields[0].isQuoted
                && bytes[fields[0].range].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        }
    }

    /// Hands each record from `position` on to `body` as soon as it is read, in order, until
    /// `body` returns `false` or the text ends. Returns where the next record starts.
    @discardableResult
    func forEachRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, from position: Position = .start, _ body: (Record) -> Bool
    ) -> Position {
        var record = Record(bytes: bytes, path: path)
        var index = position.index
        var line = position.line
        var lineStart = index
        // Column of byte `i` on the current line, counting scalars (skip UTF-8 continuation bytes);
        // counted on from the latest byte asked for, as fields are read left to right.
        var counted = (index: position.index, column: 1)
        let isPlainASCII = isPlainASCII
        func column(_ i: Int) -> Int {
            if isPlainASCII { return i - lineStart + 1 }
            if counted.index < lineStart || counted.index > i { counted = (lineStart, 1) }
            var count = counted.column
            for byte in bytes[counted.index..<i] where byte & 0xC0 != 0x80 { count += 1 }
            counted = (i, count)
            return count
        }
        func location(_ i: Int) -> SourceLocation { SourceLocation(path: path, line: line, column: column(i)) }
        func isRecordEnd(_ i: Int) -> Bool {
            i >= bytes.count || bytes[i] == UInt8(ascii: "\n")
                || (bytes[i] == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"))
        }
        while index < bytes.count {
            let (fieldLine, fieldColumn) = (line, column(index))
            if bytes[index] == UInt8(ascii: "\"") {
                let start = record.unquoted.count
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            record.unquoted.append(byte)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\n") {
                        line += 1
                        lineStart = index + 1
                    }
                    record.unquoted.append(byte)
                    index += 1
                }
                if !closed {
                    log.error(
                        "quoted field is not closed",
                        at: SourceLocation(path: path, line: fieldLine, column: fieldColumn))
                    return Position(index: index, line: line)
                }
                if !(isRecordEnd(index) || bytes[index] == UInt8(ascii: ",")) {
                    log.error("unexpected text after a closing quote", at: location(index))
                    while !(isRecordEnd(index) || bytes[index] == UInt8(ascii: ",")) { index += 1 }
                }
                record.fields.append(
                    .init(range: start..<record.unquoted.count, isQuoted: true, line: fieldLine, column: fieldColumn))
            } else {
                let start = index
                while index < bytes.count {
                    // Letters, digits and most punctuation come after `,` in ASCII, and none
                    // of them ends a field: one comparison passes most bytes.
                    let byte = bytes[index]
                    if byte > UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    if byte == UInt8(ascii: ",") || isRecordEnd(index) { break }
                    if byte == UInt8(ascii: "\"") {
                        log.error(
                            "a quote inside an unquoted field; quote the whole field and double the quote",
                            at: location(index))
                    }
                    index += 1
                }
                record.fields.append(.init(range: start..<index, isQuoted: false, line: fieldLine, column: fieldColumn))
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                if isRecordEnd(index) {
                    record.fields.append(
                        .init(range: index..<index, isQuoted: false, line: line, column: column(index)))
                } else {
                    continue
                }
            }
            // End of record.
            if index < bytes.count {
                index += bytes[index] == UInt8(ascii: "\r") ? 2 : 1
                line += 1
                lineStart = index
            }
            if !record.isBlankLine, !body(record) { break }
            record.fields.removeAll(keepingCapacity: true)
            record.unquoted.removeAll(keepingCapacity: true)
        }
        return Position(index: index, line: line)
    }

    /// Whether every byte is printable ASCII other than `"`, or a line break (LF, or CR
    /// before LF). No field read from such text can hold a control character or any
    /// other scalar that a single line may not.
    static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Eight bytes at a time, as most words hold none of the bytes that need a closer
        // look; a word that does is looked at byte by byte.
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        var previous: UInt8 = 0
        while index + 8 <= raw.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // A CR at the end of the word before must be followed by LF.
            if needsCloserLook(word) || previous == UInt8(ascii: "\r") {
                for byte in bytes[index..<index + 8] {
                    guard isPlainASCII(byte, after: previous) else { return false }
                    previous = byte
                }
            } else {
                previous = UInt8(truncatingIfNeeded: word >> 56)
            }
            index += 8
        }
        for byte in bytes[index...] {
            guard isPlainASCII(byte, after: previous) else { return false }
            previous = byte
        }
        return previous != UInt8(ascii: "\r")
    }

    /// How many LF bytes there are; eight bytes at a time.
    static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let raw = UnsafeRawBufferPointer(bytes)
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let linefeeds = 0x0101_0101_0101_0101 &* UInt64(UInt8(ascii: "\n"))
        var count = 0
        var index = 0
        while index + 8 <= raw.count {
            // XOR with linefeeds zeroes each LF byte; the top bit of a byte of `nonzero` is
            // set when that byte of `others` is not zero (adding 0x7F to its low bits carries
            // into the top bit, or its top bit was set), exactly, with no carries between bytes.
            let others = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ linefeeds
            let nonzero = ((others & lows) &+ lows) | others
            count += 8 - (nonzero & ~lows).nonzeroBitCount
            index += 8
        }
        for byte in bytes[index...] where byte == UInt8(ascii: "\n") { count += 1 }
        return count
    }

    private static func isPlainASCII(_ byte: UInt8, after previous: UInt8) -> Bool {
        if previous == UInt8(ascii: "\r"), byte != UInt8(ascii: "\n") { return false }
        switch byte {
        case 0x20...0x7E: return byte != UInt8(ascii: "\"")
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return true
        default: return false
        }
    }

    /// Whether any of the eight bytes of `word` is below 0x20 (line breaks included), 0x7F
    /// or above, or `"`; `false` answers for all eight. (Subtracting from a byte below `n`
    /// borrows into its top bit; adding 1 to 0x7F or more sets it; a quote XORed with
    /// quotes is a zero byte, below 1.)
    private static func needsCloserLook(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        func hasByteBelow(_ n: UInt64, _ word: UInt64) -> Bool { (word &- ones &* n) & ~word & tops != 0 }
        return hasByteBelow(0x20, word) || (word &+ ones | word) & tops != 0
            || hasByteBelow(1, word ^ (ones &* UInt64(UInt8(ascii: "\""))))
    }
}
