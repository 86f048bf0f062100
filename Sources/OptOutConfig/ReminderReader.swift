import OptOutCore

/// Reads `reminders`: when scheduled notices go out.
struct ReminderReader {
    let yaml: YAMLReader

    func reminders(_ node: YAMLNode) -> ReminderSettings? {
        guard
            let fields = yaml.fields(
                node, "reminders",
                allowed: ["lead_times", "at", "overdue_every", "overdue_max", "days", "hours", "escalate_after"])
        else { return nil }
        var settings = ReminderSettings()
        if let node = fields["lead_times"], let leadTimes = leadTimes(node) {
            settings.leadTimes = leadTimes
        }
        if let node = fields["at"],
            let time = yaml.parsed(node, "at", as: "a time of day (HH:MM)", TimeOfDay.init(parsing:))
        {
            settings.at = time
        }
        if let node = fields["overdue_every"], let every = yaml.interval(node, "overdue_every", allowZero: true) {
            settings.overdueEvery = every
        }
        if let node = fields["overdue_max"],
            let max = yaml.integer(node, "overdue_max", in: 0...ReminderSettings.repeatLimit)
        {
            settings.overdueMax = max
        }
        // A pair gets one notice of each kind a day: repeats closer than that are left out.
        if let node = fields["overdue_every"], case .hours(let hours) = settings.overdueEvery, hours < 24,
            !settings.overdueEvery.isZero, settings.overdueMax > 1
        {
            yaml.log.warning(
                "overdue_every \(settings.overdueEvery) repeats more than once a day, but one overdue notice goes out a day: the repeats that fall on a day that had one are left out, so fewer than overdue_max come",
                at: yaml.location(node))
        }
        if let node = fields["escalate_after"],
            let count = yaml.integer(node, "escalate_after", in: 0...ReminderSettings.repeatLimit)
        {
            settings.escalateAfter = count
        }
        settings.quiet = QuietTimesReader(yaml: yaml).quietTimes(days: fields["days"], hours: fields["hours"])
        return settings
    }

    /// The lead times, each above zero; one that falls on the same day as an earlier one is
    /// warned about, as a pair gets one deadline reminder a day and it would be left out.
    private func leadTimes(_ node: YAMLNode) -> [ReminderInterval]? {
        guard let items = yaml.sequence(node, "lead_times") else { return nil }
        if items.count > ConfigurationLimits.listLength {
            yaml.error("lead_times has more than \(ConfigurationLimits.listLength) entries", at: node)
        }
        var leadTimes: [ReminderInterval] = []
        var byDay: [Int: ReminderInterval] = [:]
        for item in items.prefix(ConfigurationLimits.listLength) {
            guard let lead = yaml.interval(item, "a lead time") else { continue }
            let day = lead.daysBeforeDeadline
            if let earlier = byDay[day] {
                yaml.log.warning(
                    "lead time \(lead) falls on the same day as \(earlier) (\(day) day\(day == 1 ? "" : "s") before the deadline), and one deadline reminder goes out a day: this one is left out",
                    at: yaml.location(item))
            } else {
                byDay[day] = lead
            }
            leadTimes.append(lead)
        }
        return leadTimes
    }
}
