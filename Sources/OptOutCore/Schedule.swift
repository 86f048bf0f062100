/// One notice on a pair's timetable, before it is known whether it will be sent.
public struct ScheduledNotice: Hashable, Sendable {
    public var event: EventKind
    /// The local date the notice belongs to; with the pair and event it identifies the notice.
    public var date: CivilDate
    public var at: Instant
    /// Seconds east of UTC at `at` in the account's zone, kept for printing local times.
    public var utcOffset: Int
    /// The day the notice was planned for before `reminders.days` moved it (`date` when it
    /// did not); `nil` for a notice planned at a time rather than on a day (a span of hours).
    var plannedDate: CivilDate?

    /// The same notice as another event: the escalation that goes with an overdue notice.
    func asEvent(_ other: EventKind) -> ScheduledNotice {
        var notice = self
        notice.event = other
        return notice
    }
}

/// Computes the timetable of a policy for accounts of one zone.
///
/// A timetable holds the deadline reminders, the effective-date notice and the overdue
/// repeats still to come, sorted by time; an informational policy's holds the effective-date
/// notice alone. Notices that would fall on a day `reminders.days` leaves out move to an
/// allowed day. It depends only on the policy, the zone, the reminder settings and, for
/// overdue repeats, where the pair's repeats stand, so accounts share them.
struct Timetable {
    /// What a timetable depends on besides the reminder settings.
    struct Key: Hashable {
        var policy: Int
        var zone: Zone
        /// The day (day-based repeats) or second (hour-based repeats) the overdue repeats count from.
        var overdueBase: Int
        /// The overdue notices already handled: the timetable holds the rest of `overdue_max`.
        var overdueRepeats: Int
    }

    /// The key for pairs that had no overdue notice yet: their repeats count from the deadline,
    /// or from the first sighting when that came later.
    /// - Parameter firstSeenDate: the local date of `firstSeen` in `zone` (callers often know it).
    static func key(
        policy index: Int, _ policy: Policy, zone: Zone, firstSeen: Instant, firstSeenDate: CivilDate,
        reminders: ReminderSettings
    ) -> Key {
        // An informational policy has no overdue repeats: its pairs share one timetable per zone.
        guard !policy.isInformational else { return Key(policy: index, zone: zone, overdueBase: 0, overdueRepeats: 0) }
        return Key(
            policy: index, zone: zone,
            overdueBase: overdueBase(policy, zone: zone, from: firstSeen, on: firstSeenDate, reminders: reminders),
            overdueRepeats: 0)
    }

    /// The key for pairs that had overdue notices: the next repeat comes `overdue_every` after
    /// the latest notice handled, and only as many as `overdue_max` leaves. So a change of
    /// `overdue_every` or `overdue_max` takes effect from the latest repeat on, without
    /// repeats being lost or added for the ones before.
    static func key(
        policy index: Int, _ policy: Policy, zone: Zone, continuingAfter history: PairHistory,
        reminders: ReminderSettings
    ) -> Key {
        let through = history.handledThrough
        return Key(
            policy: index, zone: zone,
            overdueBase: overdueBase(
                policy, zone: zone, from: through, on: zone.localDate(of: through), reminders: reminders),
            overdueRepeats: history.overdueRepeats)
    }

    /// The day or second overdue repeats count from: the deadline, or `instant` (on `date`
    /// locally) when that is later.
    private static func overdueBase(
        _ policy: Policy, zone: Zone, from instant: Instant, on date: CivilDate, reminders: ReminderSettings
    ) -> Int {
        switch reminders.overdueEvery {
        case .days: max(policy.deadline, date).dayNumber
        case .hours: max(zone.midnight(of: policy.deadline), instant).secondsSince1970
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
            append(event, at: zone.instant(of: day, at: reminders.at), date: day, planned: date)
        }
        func add(_ event: EventKind, at instant: Instant) {
            let date = zone.localDate(of: instant)
            guard quiet.days.contains(date.weekday) else { return add(event, on: date) }
            append(event, at: instant, date: date, planned: nil)
        }
        func append(_ event: EventKind, at instant: Instant, date: CivilDate, planned: CivilDate?) {
            if let merged = notices.firstIndex(where: { $0.event == event && $0.date == date }) {
                // One notice stands for the days moved onto its day: it is handled only once
                // the latest of them is (and only by its time when one was planned at a time).
                let earlier = notices[merged].plannedDate
                notices[merged].plannedDate = earlier.flatMap { earlier in planned.map { max(earlier, $0) } }
                return
            }
            notices.append(
                ScheduledNotice(
                    event: event, date: date, at: instant, utcOffset: zone.offset(at: instant), plannedDate: planned))
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
        if !reminders.overdueEvery.isZero {
            // Escalations are not listed: the rule adds one to each overdue notice past
            // `escalate_after`, counting the pair's repeats.
            for place in stride(from: 1, through: reminders.overdueMax - key.overdueRepeats, by: 1) {
                switch plannedRepeat(place, of: key, every: reminders.overdueEvery) {
                case .day(let date): add(.overdue, on: date)
                case .instant(let instant): add(.overdue, at: instant)
                }
            }
        }
        return notices.sorted { ($0.at, $0.event) < ($1.at, $1.event) }
    }

    /// When an overdue repeat is planned: on a day, or at an instant for repeats in hours.
    private enum PlannedRepeat {
        case day(CivilDate)
        case instant(Instant)
    }

    /// The overdue repeat at `place` (counting from 1) of the timetable made for `key`.
    private static func plannedRepeat(_ place: Int, of key: Key, every: ReminderInterval) -> PlannedRepeat {
        switch every {
        case .days(let days): .day(CivilDate(dayNumber: key.overdueBase + place * days))
        case .hours(let hours): .instant(Instant(secondsSince1970: key.overdueBase + place * hours * 3600))
        }
    }

    /// Whether the timetable made for `key` goes on as the one made for a pair that handled
    /// `overdueRepeats` overdue notices, the latest `notice`, would: so when that notice came
    /// in its place among the timetable's repeats, as planned (not moved by `reminders.days`).
    static func continues(
        _ key: Key, after notice: ScheduledNotice, overdueRepeats: Int, every: ReminderInterval
    ) -> Bool {
        let place = overdueRepeats - key.overdueRepeats
        guard place > 0 else { return false }
        switch plannedRepeat(place, of: key, every: every) {
        case .day(let date): return notice.plannedDate == notice.date && notice.date == date
        case .instant(let instant): return notice.plannedDate == nil && notice.at == instant
        }
    }
}
