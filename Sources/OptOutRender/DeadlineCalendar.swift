import OptOutCore

/// Deadlines as an iCalendar (RFC 5545) to publish: one all-day event on the last day to
/// act, with an alarm, for a mail's attachment and for `plan --format ics`.
public enum DeadlineCalendar {
    public struct Event: Sendable {
        /// Stays the same for the same deadline, so that a later copy updates the event.
        public var uid: String
        /// Opt out before 00:00 of this date: the event is the day before.
        public var deadline: CivilDate
        public var summary: String
        public var description: String
        public var url: String?
        public var category: String?
        /// Nothing is left to do by this deadline: the copy marks the event cancelled and
        /// has no alarm, so a calendar that holds it stops reminding.
        public var cancelled: Bool

        public init(
            uid: String, deadline: CivilDate, summary: String, description: String, url: String? = nil,
            category: String? = nil, cancelled: Bool = false
        ) {
            self.uid = uid
            self.deadline = deadline
            self.summary = summary
            self.description = description
            self.url = url
            self.category = category
            self.cancelled = cancelled
        }
    }

    /// The calendar, with CRLF line ends and lines folded at 75 octets.
    public static func text(_ events: [Event], name: String, stamp: Instant) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//optoutd//opt-out deadlines//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(escape(name))",
        ]
        let stampText = Zone.rfc3339(stamp, utcOffset: 0).filter { $0 != "-" && $0 != ":" }
        // A later copy of an event (same UID) must carry a higher sequence for calendar
        // programs to take it as an update: the minutes since a fixed day grow with time.
        let sequence = max(0, (stamp.secondsSince1970 - sequenceEpoch.secondsSince1970) / 60)
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(escape(event.uid))",
                "DTSTAMP:\(stampText)",
                "SEQUENCE:\(sequence)",
                "DTSTART;VALUE=DATE:\(event.deadline.adding(days: -1).basicFormat)",
                "DTEND;VALUE=DATE:\(event.deadline.basicFormat)",
                "SUMMARY:\(escape(event.summary))",
                "DESCRIPTION:\(escape(event.description))",
            ]
            // A URL value is a URI, not text: it is not escaped, and one with a control
            // character or a space is left out rather than broken.
            if let url = event.url, !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                lines.append("URL:\(url)")
            }
            if let category = event.category { lines.append("CATEGORIES:\(escape(category))") }
            lines.append("TRANSP:TRANSPARENT")
            if event.cancelled {
                lines.append("STATUS:CANCELLED")
            } else {
                // The day before the last day, at 09:00 (the event starts at 00:00 of the last day).
                lines += [
                    "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15H", "DESCRIPTION:\(escape(event.summary))",
                    "END:VALARM",
                ]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// 2024-01-01T00:00:00Z, from which `SEQUENCE` counts minutes.
    static let sequenceEpoch = Instant(secondsSince1970: 1_704_067_200)

    /// RFC 5545 TEXT escaping; every other scalar that may not stand in one line (controls,
    /// line separators, invisible ones) becomes a space. By scalars: Swift reads "\r\n" as
    /// one character.
    static func escape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\".unicodeScalars
            case ";": result += "\\;".unicodeScalars
            case ",": result += "\\,".unicodeScalars
            case "\n": result += "\\n".unicodeScalars
            case "\r": continue
            default: result.append(TerminalText.isUnsafe(scalar) ? " " : scalar)
            }
        }
        return String(result)
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 sequence (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
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
