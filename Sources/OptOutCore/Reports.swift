/// Renders notices and policies for people (tables), programs (JSON) and calendars (iCalendar).
public enum Report {
    /// Lines of left-aligned columns separated by two spaces; the last column is not padded.
    public static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(TerminalText.columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], TerminalText.columns(cell)) }
        }
        var output = ""
        for row in [header] + rows {
            for (index, cell) in row.enumerated() {
                output += cell
                if index < row.count - 1 {
                    output += String(repeating: " ", count: widths[index] - TerminalText.columns(cell) + 2)
                }
            }
            while output.hasSuffix(" ") { output.removeLast() }
            output += "\n"
        }
        return output
    }
}
