import OptOutCore

/// Reads `reminders.days` and `reminders.hours`.
struct QuietTimesReader {
    let yaml: YAMLReader

    func quietTimes(days: YAMLNode?, hours: YAMLNode?) -> QuietTimes {
        QuietTimes(
            days: days.flatMap(self.days) ?? QuietTimes.none.days, hours: hours.flatMap(self.hours))
    }

    /// `[mon, tue, wed, thu, fri]`: at least one day, each once.
    private func days(_ node: YAMLNode) -> Set<Weekday>? {
        guard let names = yaml.strings(node, "days", maximumCount: 7) else { return nil }
        var days = Set<Weekday>()
        var unknown = 0
        for name in names {
            guard let day = Weekday(name: name.value) else {
                unknown += 1
                yaml.log.error(
                    "unknown day \(TerminalText.quoted(name.value)) in days; expected \(Weekday.allCases.map(\.name).joined(separator: ", "))",
                    at: name.location)
                continue
            }
            if !days.insert(day).inserted {
                yaml.log.error("day \(TerminalText.quoted(name.value)) is listed twice in days", at: name.location)
            }
        }
        guard !days.isEmpty else {
            // Unknown days were reported each: the list is empty only for want of them.
            if unknown == 0 { yaml.error("days needs at least one day for notices to fall on", at: node) }
            return nil
        }
        return days
    }

    /// `"08:00-18:00"`: seconds into the day, the first allowed to the last.
    private func hours(_ node: YAMLNode) -> ClosedRange<Int>? {
        yaml.parsed(node, "hours", as: "a span of the day such as \"08:00-18:00\" (start before end)") { text in
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let start = TimeOfDay(parsing: String(parts[0])),
                let end = TimeOfDay(parsing: String(parts[1])), start.secondsIntoDay < end.secondsIntoDay
            else { return nil }
            return start.secondsIntoDay...(end.secondsIntoDay - 1)
        }
    }
}
