import Foundation
import OptOutCore

/// Reads an accounts CSV file: a header row naming the columns, in any order.
///
/// A large file without quotes is read in pieces, a few per processor, each cut at a line
/// break; the accounts and diagnostics come out in file order all the same.
struct CSVInventory {
    /// The columns a file may have, in the order error messages name them.
    enum Column: Int, CaseIterable {
        case id, platform, region, email, name, timezone, done, language, manager
    }
    static let columns = Column.allCases.map { "\($0)" }
    let path: String
    let log: DiagnosticLog
    /// The least a piece holds, in bytes: threads cost more than they save on small files.
    var smallestPiece = 512 * 1024
    /// How many threads read the pieces of a file.
    var processors = ProcessInfo.processInfo.activeProcessorCount
    /// Pieces per thread: a thread that is done early takes another, so that one slow piece
    /// (or a thread the system lets run less) holds up the others less.
    static let piecesPerProcessor = 4

    /// The accounts of the file in order, in one run per piece read (joining them would copy
    /// every account once more).
    func accounts(_ text: String, builder: AccountBuilder) -> [[Located<Account>]] {
        var text = text
        return text.withUTF8 { accounts($0, builder: builder) }
    }

    private func accounts(_ bytes: UnsafeBufferPointer<UInt8>, builder: AccountBuilder) -> [[Located<Account>]] {
        let reader = CSVReader(path: path, log: log)
        var header: [Located<String>]?
        let rows = reader.forEachRecord(bytes) { record in
            header = (0..<record.count).map { record[$0] }
            return false
        }
        guard let header else {
            log.error(
                "the file has no header row; expected columns: \(Self.columns.joined(separator: ","))",
                at: SourceLocation(path: path, line: 1, column: 1))
            return []
        }
        let layout = Layout(header: header, inventory: self)
        let path = path
        // Every piece reads the file's bytes, changing none, and makes a builder of its own
        // from this one, whose log it never touches.
        nonisolated(unsafe) let (bytes, builder) = (bytes, builder)
        let results = concurrentMap(pieces(of: bytes, from: rows), threads: processors) { piece in
            let pieceLog = DiagnosticLog()
            // A copy of the path of its own: every location holds it, and threads that count
            // references on one string slow each other down.
            let piecePath = String(decoding: Array(path.utf8), as: UTF8.self)
            let pieceBytes = UnsafeBufferPointer(rebasing: bytes[piece.range])
            var reader = CSVReader(path: piecePath, log: pieceLog)
            // Most inventories are plain ASCII: one look at the bytes spares looking at every field.
            reader.isPlainASCII = CSVReader.isPlainASCII(pieceBytes)
            let accounts = layout.accounts(
                pieceBytes, from: CSVReader.Position(index: 0, line: piece.line), reader: reader,
                builder: builder.reporting(to: pieceLog))
            return (accounts, pieceLog.snapshot)
        }
        for (_, diagnostics) in results { log.append(diagnostics) }
        return results.map(\.0)
    }

    /// A part of the file read on its own: its bytes and the line it starts on.
    private struct Piece {
        var range: Range<Int>
        var line: Int
    }

    /// Where the rows from `start` on are cut for reading in parallel (one piece when that
    /// does not pay). Cuts follow a line break; a quoted field may hold one, so a file with
    /// quotes is one piece.
    private func pieces(of bytes: UnsafeBufferPointer<UInt8>, from start: CSVReader.Position) -> [Piece] {
        let size = bytes.count - start.index
        let count = processors > 1 ? min(processors * Self.piecesPerProcessor, size / smallestPiece) : 1
        guard count > 1, memchr(bytes.baseAddress! + start.index, Int32(UInt8(ascii: "\"")), size) == nil else {
            return [Piece(range: start.index..<bytes.count, line: start.line)]
        }
        var pieces: [Piece] = []
        var begin = start.index
        var line = start.line
        for cut in 1...count {
            // The first line break at or after the cut: never before the previous piece's end.
            var end = cut == count ? bytes.count : start.index + size / count * cut
            while end < bytes.count, bytes[end - 1] != UInt8(ascii: "\n") { end += 1 }
            guard end > begin else { continue }  // a line longer than a piece
            pieces.append(Piece(range: begin..<end, line: line))
            line += CSVReader.lineBreaks(in: UnsafeBufferPointer(rebasing: bytes[begin..<end]))
            begin = end
        }
        return pieces
    }

    /// Which column of the file holds which field, from the header row.
    private struct Layout: Sendable {
        /// Fields per row.
        let width: Int
        /// Where each `Column` is in the file, by its raw value; `nil` when the header lacks
        /// a required column (rows are then read for their syntax only).
        let positions: [Int?]?

        init(header: [Located<String>], inventory: CSVInventory) {
            width = header.count
            var named: [String: Int] = [:]
            for (index, cell) in header.enumerated() {
                let name = cell.value.trimmingCharacters(in: .whitespaces)
                if !CSVInventory.columns.contains(name) {
                    // A spreadsheet's header is often capitalized (`Region`).
                    let expected =
                        CSVInventory.columns.contains(name.lowercased())
                        ? "did you mean '\(name.lowercased())'?"
                        : "expected: \(CSVInventory.columns.joined(separator: ", "))"
                    inventory.log.error("unknown column \(TerminalText.quoted(name)); \(expected)", at: cell.location)
                } else if named[name] != nil {
                    inventory.log.error("column \(TerminalText.quoted(name)) appears twice", at: cell.location)
                } else {
                    named[name] = index
                }
            }
            for required in ["id", "region"] where named[required] == nil {
                inventory.log.error(
                    "the header needs \(required == "id" ? "an" : "a") '\(required)' column", at: header[0].location)
            }
            positions = named["id"] != nil && named["region"] != nil ? CSVInventory.columns.map { named[$0] } : nil
        }

        /// The accounts of the rows from `start` on.
        func accounts(
            _ bytes: UnsafeBufferPointer<UInt8>, from start: CSVReader.Position, reader: CSVReader,
            builder: AccountBuilder
        ) -> [Located<Account>] {
            var accounts: [Located<Account>] = []
            reader.forEachRecord(bytes, from: start) { record in
                if let account = account(record, reader: reader, builder: builder) { accounts.append(account) }
                return true
            }
            return accounts
        }

        private func account(_ record: CSVReader.Record, reader: CSVReader, builder: AccountBuilder)
            -> Located<Account>?
        {
            guard let positions else { return nil }
            guard record.count == width else {
                reader.log.error(
                    "this row has \(record.count) field\(record.count == 1 ? "" : "s"); the header has \(width)",
                    at: record.location(0))
                return nil
            }
            func cell(_ column: Column) -> Located<String>? { positions[column.rawValue].map { record[$0] } }
            var done: [Located<String>] = []
            if let cell = cell(.done), !cell.value.isEmpty {
                done =
                    Self.isOneEntry(cell.value)
                    ? [cell]
                    : cell.value.utf8.split(separator: UInt8(ascii: ";")).map {
                        Located(value: Substring($0).trimmingBlanks(), location: cell.location)
                    }
                    .filter { !$0.value.isEmpty }
            }
            return builder.account(
                RawAccount(
                    location: record.location(0), id: cell(.id), platform: cell(.platform), region: cell(.region),
                    name: cell(.name), email: cell(.email), timezone: cell(.timezone), language: cell(.language),
                    manager: cell(.manager), done: done, isPrintableASCII: reader.isPlainASCII))
        }

        /// Whether a `done` cell holds one entry as written, with no blanks to trim: it is
        /// then the entry itself, and no new string is made of it.
        private static func isOneEntry(_ text: String) -> Bool {
            func isBlank(_ byte: UInt8?) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            return !text.utf8.contains(UInt8(ascii: ";")) && !isBlank(text.utf8.first) && !isBlank(text.utf8.last)
        }
    }
}

extension Substring {
    /// Without the spaces and tabs around it.
    func trimmingBlanks() -> String {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isBlank(utf8[start]) { utf8.formIndex(after: &start) }
        while end > start, isBlank(utf8[utf8.index(before: end)]) { utf8.formIndex(before: &end) }
        return String(self[start..<end])
    }
}
