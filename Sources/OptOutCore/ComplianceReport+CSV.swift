extension ComplianceReport {
    /// The CSV header, in the order of every row's fields.
    public static let csvColumns = [
        "account", "platform", "region", "policy", "action", "status", "done_at", "source", "note", "deadline",
        "days_overdue",
    ]

    /// The rows as CSV (RFC 4180: CRLF line ends, fields quoted where they need it), safe to
    /// open in a spreadsheet: a field that would start a formula is prefixed with `'`.
    public var csv: TextBuffer {
        var text = TextBuffer()
        for (index, column) in Self.csvColumns.enumerated() {
            if index > 0 { text.append(byte: UInt8(ascii: ",")) }
            text.append(column)
        }
        text.append("\r\n")
        forEachRow { row in
            var first = true
            row.forEachField { field in
                if !first { text.append(byte: UInt8(ascii: ",")) }
                first = false
                Self.appendCSVField(field, to: &text)
            }
            text.append("\r\n")
        }
        return text
    }

    /// Spreadsheets run a cell that starts with one of these as a formula.
    private static let formulaStarts: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"),
        UInt8(ascii: "\r"),
    ]

    static func appendCSVField(_ field: String, to text: inout TextBuffer) {
        var field = field
        let (startsFormula, needsQuotes) = field.withUTF8 { bytes in
            (
                bytes.first.map(formulaStarts.contains) == true,
                bytes.contains {
                    $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r")
                        || $0 == UInt8(ascii: "\n")
                }
            )
        }
        if needsQuotes { text.append(byte: UInt8(ascii: "\"")) }
        if startsFormula { text.append(byte: UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in field.utf8 {
                if byte == UInt8(ascii: "\"") { text.append(byte: byte) }
                text.append(byte: byte)
            }
            text.append(byte: UInt8(ascii: "\""))
        } else {
            text.append(field)
        }
    }
}

extension ComplianceReport.Row {
    /// Calls `body` with the row's values in the order of `ComplianceReport.csvColumns`, as
    /// text; writers take them one by one rather than as an array made for every row.
    ///
    /// - Parameter onOneLine: the source and the note (the values that come from outside)
    ///   as `TerminalText.oneLine` shows them, for a table on a terminal.
    public func forEachField(onOneLine: Bool = false, _ body: (String) -> Void) {
        let shown = onOneLine ? TerminalText.oneLine : { $0 }
        body(account.id)
        body(account.platform)
        body(account.region.description)
        body(policy.id)
        body(action.id)
        body(isDone ? "done" : "pending")
        body(doneAt ?? "")
        body(shown(source))
        body(shown(record?.note ?? ""))
        body(deadline)
        body(String(daysOverdue))
    }

    /// When the action was recorded as done, in the account's zone; `nil` while pending
    /// or when only the configuration says so.
    public var doneAt: String? {
        record.map { account.zone.rfc3339($0.at) }
    }
}
