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

    /// The plan as a table: one row per notice, in time order.
    public static func planTable(_ notices: [Notice]) -> String {
        table(
            header: ["AT", "ACCOUNT", "REGION", "POLICY", "EVENT", "DAYS LEFT", "PENDING", "LATE"],
            rows: notices.map { notice in
                [
                    notice.localTime, notice.account.id, notice.account.region.description, notice.policy.id,
                    notice.event.rawValue, String(notice.daysLeft), notice.pending.map(\.id).joined(separator: ","),
                    notice.late ? "late" : "",
                ]
            })
    }

    /// The plan as one JSON array, per the SPEC's keys.
    public static func planJSON(_ notices: [Notice], channels: ChannelSettings) -> String {
        var json = JSONWriter()
        let channelNames = Dictionary(uniqueKeysWithValues: EventKind.allCases.map { ($0, channels.names(for: $0)) })
        json.array(notices) { json, notice in
            json.object { object in
                object.member("at", notice.localTime)
                object.member("account", notice.account.id)
                object.member("platform", notice.account.platform)
                object.member("region", notice.account.region.description)
                object.member("policy", notice.policy.id)
                object.member("event", notice.event.rawValue)
                object.member("effective", notice.policy.effective.description)
                object.member("deadline", notice.policy.deadline.description)
                object.member("days_left", notice.daysLeft)
                object.member("pending", notice.pending.map(\.id))
                object.member("late", notice.late)
                object.member("channels", channelNames[notice.event] ?? [])
            }
        }
        return json.output + "\n"
    }

    /// One iCalendar event per pending deadline: an all-day event on the last day to opt out.
    ///
    /// - Parameter deadlines: each pair with its pending actions.
    public static func planCalendar(_ deadlines: [(account: Account, policy: Policy, pending: [PolicyAction])], stamp: Instant) -> String {
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

    // MARK: Catalog

    public static func catalogTable(_ catalog: Catalog) -> String {
        table(
            header: ["POLICY", "PLATFORM", "EFFECTIVE", "DEADLINE", "REGIONS", "ACTIONS"],
            rows: catalog.policies.map { policy in
                let regions = policy.regions.joined(separator: ",") + (policy.except.isEmpty ? "" : " except " + policy.except.joined(separator: ","))
                return [
                    policy.id, policy.platform, policy.effective.description, policy.deadline.description, regions,
                    policy.actions.map(\.id).joined(separator: ","),
                ]
            })
    }

    /// The catalog as one JSON array of policies, with the keys of the catalog schema.
    public static func catalogJSON(_ catalog: Catalog) -> String {
        var json = JSONWriter()
        json.array(catalog.policies) { json, policy in
            json.object { object in
                object.member("id", policy.id)
                object.member("platform", policy.platform)
                object.member("title", policy.title)
                object.member("summary", policy.summary)
                object.member("effective", policy.effective.description)
                object.member("deadline", policy.deadline.description)
                object.member("regions", policy.regions)
                object.member("except", policy.except)
                object.member("countries", policy.coverage.countries.map(\.description))
                object.member("data_used", policy.dataUsed)
                object.member("data_not_used", policy.dataNotUsed)
                object.member("shared_with", policy.sharedWith)
                object.member("actions") { json in
                    json.array(policy.actions) { json, action in
                        json.object { object in
                            object.member("id", action.id)
                            object.member("title", action.title)
                            object.member("where", action.location)
                            object.member("url", action.url)
                        }
                    }
                }
                object.member("sources", policy.sources)
            }
        }
        return json.output + "\n"
    }
}
