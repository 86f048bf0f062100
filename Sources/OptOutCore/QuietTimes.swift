/// A day of the week, as `reminders.days` names it.
public enum Weekday: Int, CaseIterable, Hashable, Sendable, Comparable {
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday

    /// `mon`, `tue`, … as configured.
    public init?(name: String) {
        guard let day = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = day
    }

    public var name: String { ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][rawValue] }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension CivilDate {
    /// The day of the week (1970-01-01 was a Thursday).
    public var weekday: Weekday { Weekday(rawValue: ((dayNumber + 4) % 7 + 7) % 7)! }
}

/// When people may be told: the days scheduled notices fall on, and the hours notices that
/// go out at once (a first sighting, a catch-up, `opted-out`) wait for; both in the
/// account's zone.
public struct QuietTimes: Hashable, Sendable {
    /// The days notices may fall on; never empty.
    public var days: Set<Weekday>
    /// The part of a day notices that go out at once wait for; `nil`: any time.
    public var hours: ClosedRange<Int>?

    /// Every day, any time.
    public static let none = QuietTimes(days: Set(Weekday.allCases), hours: nil)

    /// - Parameter hours: seconds into the local day, from the first allowed to the last.
    public init(days: Set<Weekday>, hours: ClosedRange<Int>?) {
        precondition(!days.isEmpty, "notices need a day to fall on")
        self.days = days
        self.hours = hours
    }

    /// `date` if notices may fall on it, else the next day that they may.
    public func allowedDay(onOrAfter date: CivilDate) -> CivilDate {
        var day = date
        while !days.contains(day.weekday) { day = day.adding(days: 1) }
        return day
    }

    /// `date` if notices may fall on it, else the day before it that they may.
    public func allowedDay(onOrBefore date: CivilDate) -> CivilDate {
        var day = date
        while !days.contains(day.weekday) { day = day.adding(days: -1) }
        return day
    }

    /// `now` if it is within the hours, else when they next begin, in `zone`.
    public func allowedInstant(atOrAfter now: Instant, in zone: Zone) -> Instant {
        guard let hours else { return now }
        let offset = zone.offset(at: now)
        let local = now.secondsSince1970 + offset
        let date = CivilDate(dayNumber: local.floorDivided(by: 86_400))
        let secondsIntoDay = local - date.dayNumber * 86_400
        if hours.contains(secondsIntoDay) { return now }
        let day = secondsIntoDay < hours.lowerBound ? date : date.adding(days: 1)
        return zone.instant(localSeconds: day.dayNumber * 86_400 + hours.lowerBound)
    }
}
