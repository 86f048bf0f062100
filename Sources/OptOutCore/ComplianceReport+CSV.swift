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
        for row in rows {
            for (index, field) in row.fields.enumerated() {
                if index > 0 { text.append(byte: UInt8(ascii: ",")) }
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
        let guarded = field.utf8.first.map(formulaStarts.contains) == true ? "'" + field : field
        let needsQuotes = guarded.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n")
        }
        guard needsQuotes else {
            text.append(guarded)
            return
        }
        text.append(byte: UInt8(ascii: "\""))
        for byte in guarded.utf8 {
            if byte == UInt8(ascii: "\"") { text.append(byte: byte) }
            text.append(byte: byte)
        }
        text.append(byte: UInt8(ascii: "\""))
    }
}

extension ComplianceReport.Row {
    /// The row's values in the order of `ComplianceReport.csvColumns`, as text.
    public var fields: [String] {
        [
            account.id, account.platform, account.region.description, policy.id, action.id,
            isDone ? "done" : "pending", doneAt ?? "", source, record?.note ?? "", policy.deadline.description,
            String(daysOverdue),
        ]
    }

    /// When the action was recorded as done, in the account's zone; `nil` while pending
    /// or when only the configuration says so.
    public var doneAt: String? {
        record.map { account.zone.rfc3339($0.at) }
    }
}
