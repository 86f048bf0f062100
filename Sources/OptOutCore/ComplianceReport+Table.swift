extension ComplianceReport {
    /// The summaries per policy and per region, then every row, as aligned columns.
    public var table: TextBuffer {
        var text = summaryTables
        appendRowTable(to: &text)
        return text
    }

    /// The summaries per policy and per region, as aligned columns.
    public var summaryTables: TextBuffer {
        var text = TextBuffer()
        text.append(
            Report.table(
                header: ["POLICY", "DEADLINE", "ACCOUNTS", "DONE", "%", "PENDING ACTIONS"],
                rows: policies.map { summary in
                    [
                        summary.policy.id, summary.policy.deadline.description, String(summary.accounts.covered),
                        String(summary.accounts.done), summary.accounts.percentText,
                        summary.pendingByAction.filter { $0.count > 0 }.map { "\($0.action.id): \($0.count)" }
                            .joined(separator: ", "),
                    ]
                }))
        text.append("\n")
        text.append(
            Report.table(
                header: ["REGION", "ACCOUNTS", "DONE", "%"],
                rows: regions.map { summary in
                    [
                        summary.region.description, String(summary.accounts.covered), String(summary.accounts.done),
                        summary.accounts.percentText,
                    ]
                }))
        text.append("\n")
        return text
    }

    /// The rows as `Report.table` lays them out, written as bytes: there may be millions
    /// of cells, each measured once and then copied once.
    private func appendRowTable(to text: inout TextBuffer) {
        let header = Self.csvColumns.map { $0.uppercased() }
        var widths = header.map(\.utf8.count)
        forEachRow { row in
            var column = 0
            row.forEachField(onOneLine: true) { field in
                widths[column] = max(widths[column], TerminalText.columns(field))
                column += 1
            }
        }
        func appendLine(_ forEachCell: ((String) -> Void) -> Void) {
            var column = 0
            var padding = 0
            forEachCell { cell in
                // Padding is written only before a cell that follows, so no line ends in spaces.
                if !cell.isEmpty {
                    text.append(spaces: padding)
                    padding = 0
                    text.append(cell)
                }
                padding += widths[column] - TerminalText.columns(cell) + 2
                column += 1
            }
            text.append(byte: UInt8(ascii: "\n"))
        }
        appendLine { body in header.forEach(body) }
        forEachRow { row in appendLine { body in row.forEachField(onOneLine: true, body) } }
    }
}
