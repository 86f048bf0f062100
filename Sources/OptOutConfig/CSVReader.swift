import OptOutCore

/// Splits RFC 4180 CSV text into records of located fields.
///
/// Fields may be quoted (`"…"`, with `""` for a quote) and then hold commas and line
/// breaks; records end with LF or CRLF; blank lines are skipped. Columns count Unicode scalars.
struct CSVReader {
    let path: String
    let log: DiagnosticLog

    /// A place where a record starts: a byte offset and its line number.
    struct Position {
        var index: Int
        var line: Int

        static let start = Position(index: 0, line: 1)
    }

    /// Hands each record from `position` on to `body` as soon as it is read, in order, until
    /// `body` returns `false` or the text ends. Returns where the next record starts.
    @discardableResult
    func forEachRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, from position: Position = .start,
        _ body: ([Located<String>]) -> Bool
    ) -> Position {
        var record: [Located<String>] = []
        var index = position.index
        var line = position.line
        var lineStart = index
        // Column of byte `i` on the current line, counting scalars (skip UTF-8 continuation bytes);
        // counted on from the latest byte asked for, as fields are read left to right.
        var counted = (index: position.index, column: 1)
        func column(_ i: Int) -> Int {
            if counted.index < lineStart || counted.index > i { counted = (lineStart, 1) }
            var count = counted.column
            for byte in bytes[counted.index..<i] where byte & 0xC0 != 0x80 { count += 1 }
            counted = (i, count)
            return count
        }
        func isRecordEnd(_ i: Int) -> Bool {
            i >= bytes.count || bytes[i] == UInt8(ascii: "\n")
                || (bytes[i] == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"))
        }
        while index < bytes.count {
            let location = SourceLocation(path: path, line: line, column: column(index))
            let value: String
            if bytes[index] == UInt8(ascii: "\"") {
                var field: [UInt8] = []
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(byte)
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
                    field.append(byte)
                    index += 1
                }
                if !closed {
                    log.error("quoted field is not closed", at: location)
                    return Position(index: index, line: line)
                }
                if !(isRecordEnd(index) || bytes[index] == UInt8(ascii: ",")) {
                    log.error(
                        "unexpected text after a closing quote",
                        at: SourceLocation(path: path, line: line, column: column(index)))
                    while !(isRecordEnd(index) || bytes[index] == UInt8(ascii: ",")) { index += 1 }
                }
                value = String(decoding: field, as: UTF8.self)
            } else {
                let start = index
                while !isRecordEnd(index) && bytes[index] != UInt8(ascii: ",") {
                    if bytes[index] == UInt8(ascii: "\"") {
                        log.error(
                            "a quote inside an unquoted field; quote the whole field and double the quote",
                            at: SourceLocation(path: path, line: line, column: column(index)))
                    }
                    index += 1
                }
                value = String(decoding: bytes[start..<index], as: UTF8.self)
            }
            record.append(Located(value: value, location: location))
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                if isRecordEnd(index) {
                    record.append(
                        Located(value: "", location: SourceLocation(path: path, line: line, column: column(index))))
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
            let isBlankLine = record.count == 1 && record[0].value.isEmpty
            if !isBlankLine, !body(record) { break }
            record.removeAll(keepingCapacity: true)
        }
        return Position(index: index, line: line)
    }

}
