/// Renders notices and policies for people (tables), programs (JSON) and calendars (iCalendar).
public enum Report {
    /// Lines of left-aligned columns separated by two spaces; the last column is not padded.
    public static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where cell.count > widths[index] { widths[index] = cell.count }
        }
        var output = ""
        for row in [header] + rows {
            for (index, cell) in row.enumerated() {
                output += cell
                if index < row.count - 1 { output += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            while output.hasSuffix(" ") { output.removeLast() }
            output += "\n"
        }
        return output
    }

    // MARK: Plan

    /// The plan as a table, all at once (see `PlanWriter` to stream it).
    public static func planTable(_ notices: [Notice], configuration: Configuration) -> String {
        plan(notices, PlanWriter(format: .table, configuration: configuration))
    }

    private static func plan(_ notices: [Notice], _ writer: PlanWriter) -> String {
        var writer = writer
        var buffer = TextBuffer()
        writer.begin(into: &buffer)
        for notice in notices { writer.write(notice, into: &buffer) }
        writer.end(into: &buffer)
        return buffer.text
    }

    /// One iCalendar event per pending deadline: an all-day event on the last day to opt out.
    ///
    /// - Parameter deadlines: each pair with its pending actions.
    public static func planCalendar(
        _ deadlines: [(account: Account, policy: Policy, pending: [PolicyAction])], stamp: Instant
    ) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//optoutd//opt-out deadlines//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:Opt-out deadlines",
        ]
        let stampText = Zone.rfc3339(stamp, utcOffset: 0).filter { $0 != "-" && $0 != ":" }
        for (account, policy, pending) in deadlines {
            let who = account.name.map { "\($0) (\(account.id))" } ?? account.id
            var description = "\(policy.title). Opt out before \(policy.deadline) in \(account.zone.identifier).\n"
            for action in pending {
                description += "- \(action.title): \(action.location)\(action.url.map { " \($0)" } ?? "")\n"
            }
            lines += [
                "BEGIN:VEVENT",
                "UID:\(account.id)/\(policy.id)@optoutd",
                "DTSTAMP:\(stampText)",
                "DTSTART;VALUE=DATE:\(policy.deadline.adding(days: -1).basicFormat)",
                "DTEND;VALUE=DATE:\(policy.deadline.basicFormat)",
                "SUMMARY:\(icsEscape("Last day to opt out: \(policy.title) for \(who)"))",
                "DESCRIPTION:\(icsEscape(description))",
                "CATEGORIES:\(icsEscape(account.platform))",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(foldICSLine).joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5545 TEXT escaping.
    static func icsEscape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": continue
            default: result.append(character)
            }
        }
        return result
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 sequence (RFC 5545 §3.1).
    static func foldICSLine(_ line: String) -> String {
        var result = ""
        var octets = 0
        for character in line {
            let size = character.utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.append(character)
            octets += size
        }
        return result
    }
}
