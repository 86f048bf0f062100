/// One notice on a pair's timetable, before it is known whether it will be sent.
public struct ScheduledNotice: Hashable, Sendable {
    public var event: EventKind
    /// The local date the notice belongs to; with the pair and event it identifies the notice.
    public var date: CivilDate
    public var at: Instant
    /// Seconds east of UTC at `at` in the account's zone, kept for printing local times.
    public var utcOffset: Int
}

/// Computes the timetable of a policy for accounts of one zone.
///
/// A timetable holds the deadline reminders, the effective-date notice and the overdue
/// repeats, sorted by time; an informational policy's holds the effective-date notice alone.
/// Notices that would fall on a day `reminders.days` leaves out move to an allowed day. It
/// depends only on the policy, the zone, the reminder settings
/// and, for overdue repeats, when the pair was first seen, so accounts share them.
struct Timetable {
    /// What a timetable depends on besides the reminder settings.
    struct Key: Hashable {
        var policy: Int
        var zone: Zone
        /// The day (day-based repeats) or second (hour-based repeats) the overdue repeats count from.
        var overdueBase: Int
    }

    /// - Parameter firstSeenDate: the local date of `firstSeen` in `zone` (callers often know it).
    static func key(
        policy index: Int, _ policy: Policy, zone: Zone, firstSeen: Instant, firstSeenDate: CivilDate,
        reminders: ReminderSettings
    ) -> Key {
        // An informational policy has no overdue repeats: its pairs share one timetable per zone.
        guard !policy.isInformational else { return Key(policy: index, zone: zone, overdueBase: 0) }
        switch reminders.overdueEvery {
        case .days:
            return Key(
                policy: index, zone: zone, overdueBase: max(policy.deadline, firstSeenDate).dayNumber)
        case .hours:
            let deadlineStart = zone.midnight(of: policy.deadline)
            return Key(policy: index, zone: zone, overdueBase: max(deadlineStart, firstSeen).secondsSince1970)
        }
    }

    static func notices(for key: Key, policy: Policy, reminders: ReminderSettings) -> [ScheduledNotice] {
        let zone = key.zone
        let quiet = reminders.quiet
        var notices: [ScheduledNotice] = []
        func add(_ event: EventKind, on date: CivilDate) {
            // A day notices may not fall on moves it to the next one that they may; a
            // deadline reminder that would then come on or after its deadline comes before.
            var day = quiet.allowedDay(onOrAfter: date)
            if event == .deadlineReminder, day >= policy.deadline, day != date {
                day = quiet.allowedDay(onOrBefore: date)
            }
            add(event, at: zone.instant(of: day, at: reminders.at), date: day)
        }
        func add(_ event: EventKind, at instant: Instant, date: CivilDate? = nil) {
            let date = date ?? zone.localDate(of: instant)
            guard quiet.days.contains(date.weekday) else { return add(event, on: date) }
            guard !notices.contains(where: { $0.event == event && $0.date == date }) else { return }
            notices.append(ScheduledNotice(event: event, date: date, at: instant, utcOffset: zone.offset(at: instant)))
        }
        // A change with no opt-out has nothing to remind of: it is told on its effective date.
        guard !policy.isInformational else {
            add(.policyEffective, on: policy.effective)
            return notices
        }
        for lead in reminders.leadTimes {
            switch lead {
            case .days(let days): add(.deadlineReminder, on: policy.deadline.adding(days: -days))
            case .hours(let hours):
                add(.deadlineReminder, at: zone.midnight(of: policy.deadline).adding(seconds: -hours * 3600))
            }
        }
        add(.policyEffective, on: policy.effective)
        if !reminders.overdueEvery.isZero, reminders.overdueMax > 0 {
            for repeatIndex in 1...reminders.overdueMax {
                let events: [EventKind] =
                    reminders.escalateAfter.map { repeatIndex > $0 } == true ? [.overdue, .escalation] : [.overdue]
                for event in events {
                    switch reminders.overdueEvery {
                    case .days(let days):
                        add(event, on: CivilDate(dayNumber: key.overdueBase + repeatIndex * days))
                    case .hours(let hours):
                        add(event, at: Instant(secondsSince1970: key.overdueBase + repeatIndex * hours * 3600))
                    }
                }
            }
        }
        return notices.sorted { ($0.at, $0.event) < ($1.at, $1.event) }
    }
}
