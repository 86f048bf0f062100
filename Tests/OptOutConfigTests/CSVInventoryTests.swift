import Foundation
import OptOutCore
import Testing

@testable import OptOutConfig

@Suite struct CSVInventoryTests {
    /// 400 rows with a few mistakes spread over them, LF and CRLF line ends, blank lines and
    /// names with letters of more than one byte.
    static let inventory: String = {
        var lines = ["id,region,name,timezone,done"]
        for row in 1...400 {
            let region = row == 57 ? "XX" : ["DE", "FR", "GB", "IT"][row % 4]
            let zone = row == 233 ? "Mars/Olympus" : ["Europe/Berlin", "", "Asia/Tokyo"][row % 3]
            let done = row % 5 == 0 ? "objection-form;ai-improvement-toggle" : row == 301 ? "no-such-switch" : ""
            let end = row % 7 == 0 ? "\r" : ""
            lines.append("a\(row),\(region),Zoë Ünal \(row),\(zone),\(done)\(end)")
            if row % 50 == 0 { lines.append("") }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    struct Read {
        var accounts: [String]
        var diagnostics: [String]
        var pieces: Int
    }

    func read(_ text: String, processors: Int) throws -> Read {
        let log = DiagnosticLog()
        var inventory = CSVInventory(path: "team.csv", log: log)
        inventory.processors = processors
        inventory.smallestPiece = 256
        let builder = AccountBuilder(
            catalog: try ConfigurationLoader.builtinCatalog(), defaultPlatform: "linkedin",
            defaultZone: Zone(identifier: "UTC")!, log: log)
        let runs = inventory.accounts(text, builder: builder)  // one per piece
        return Read(
            accounts: runs.joined().map {
                "\($0.location.line) \($0.value.id) \($0.value.name ?? "-") \($0.value.zone) \($0.value.done.count)"
            },
            diagnostics: log.diagnostics.map(\.description), pieces: runs.count)
    }

    @Test func aFileReadInPiecesGivesWhatItGivesReadWhole() throws {
        let whole = try read(Self.inventory, processors: 1)
        let pieces = try read(Self.inventory, processors: 4)
        #expect(whole.pieces == 1)
        #expect(pieces.pieces == 4 * CSVInventory.piecesPerProcessor)
        #expect(pieces.accounts == whole.accounts)
        #expect(pieces.diagnostics == whole.diagnostics)
        #expect(whole.accounts.count == 397)
        // Row 400 is on line 408: after the header and a blank line every 50 rows.
        #expect(whole.accounts.last == "408 a400 Zoë Ünal 400 UTC 2")
        #expect(
            whole.diagnostics == [
                "team.csv:59:5: error: unknown region 'XX'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "team.csv:238:22: error: unknown time zone 'Mars/Olympus'; expected an IANA name such as Europe/Berlin",
                "team.csv:308:23: error: done entry 'no-such-switch': no policy or action of platform 'linkedin' has this id",
            ])
    }

    @Test func plainASCIIPiecesReportWhatOtherPiecesDo() throws {
        // Columns count scalars, and these names have as many as the ones they replace: every
        // place is the same whether a piece was seen to be plain ASCII (its fields then not
        // scanned one by one) or not. Rows ending in CRLF stay plain.
        let ascii = Self.inventory.replacingOccurrences(of: "Zoë Ünal", with: "Zoe Unal")
        let original = try read(Self.inventory, processors: 4)
        let plain = try read(ascii, processors: 4)
        #expect(plain.pieces == 4 * CSVInventory.piecesPerProcessor)
        #expect(plain.diagnostics == original.diagnostics)
        #expect(plain.accounts == original.accounts.map { $0.replacingOccurrences(of: "Zoë Ünal", with: "Zoe Unal") })
        // A tab sends its piece back to the field-by-field checks, and is reported where it is.
        let tab = try read(ascii.replacingOccurrences(of: "Zoe Unal 120,", with: "Zoe\tUnal 120,"), processors: 4)
        #expect(
            tab.diagnostics == [
                "team.csv:59:5: error: unknown region 'XX'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "team.csv:123:9: error: the name contains a control character (U+0009); it must be a single line of text",
                "team.csv:238:22: error: unknown time zone 'Mars/Olympus'; expected an IANA name such as Europe/Berlin",
                "team.csv:308:23: error: done entry 'no-such-switch': no policy or action of platform 'linkedin' has this id",
            ])
        #expect(tab.accounts.count == plain.accounts.count - 1)
    }

    @Test func aLineLongerThanAPieceStaysWhole() throws {
        // Cuts that fall inside the one long name all move to its end: no piece is empty or
        // cut in a line, and nothing is read twice.
        let long = String(repeating: "x", count: 4000)
        let text = Self.inventory.replacingOccurrences(of: "Zoë Ünal 120,", with: "\(long),")
        let whole = try read(text, processors: 1)
        let pieces = try read(text, processors: 4)
        #expect(pieces.pieces > 1)
        #expect(pieces.pieces < 4 * CSVInventory.piecesPerProcessor)
        #expect(pieces.accounts == whole.accounts)
        #expect(pieces.diagnostics == whole.diagnostics)
        #expect(whole.diagnostics.contains("team.csv:123:9: error: the name is longer than 256 characters"))
    }

    @Test func lineBreaksAreCountedInEveryByteAndWord() {
        // LF in every position of a word, beside bytes one bit away from it and beside
        // bytes with the top bit set.
        var bytes: [UInt8] = []
        for length in 0..<40 {
            for index in 0..<length { bytes.append([0x0A, 0x0B, 0x8A, 0x0A, 0xFF, 0x00, 0x2A, 0x09][index % 8]) }
            let naive = bytes.count { $0 == 0x0A }
            #expect(bytes.withUnsafeBufferPointer { CSVReader.lineBreaks(in: $0) } == naive)
            bytes.removeFirst(bytes.count / 3)
        }
    }

    @Test func aFileWithQuotesIsReadWhole() throws {
        // A quoted field may hold a line break, so no cut is safe.
        let text = Self.inventory.replacingOccurrences(of: "Zoë Ünal 399", with: "\"Zoë\nÜnal\"")
        let read = try read(text, processors: 4)
        #expect(read.pieces == 1)
        #expect(read.accounts.count == 396)
        #expect(
            read.diagnostics.last
                == "team.csv:407:9: error: the name contains a control character (LF); it must be a single line of text"
        )
    }
}
