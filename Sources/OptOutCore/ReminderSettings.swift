/// A span written as a whole number and a unit: `30d`, `2w`, `12h`.
public enum ReminderInterval: Hashable, Sendable, CustomStringConvertible {
    /// Whole days: scheduled at `reminders.at` local time on the resulting date.
    case days(Int)
    /// Hours: scheduled that exact span away.
    case hours(Int)

    /// Parses `<N>d`, `<N>w` or `<N>h`.
    public init?(parsing text: String) {
        guard let unit = text.last, text.count >= 2, text.dropLast().allSatisfy(\.isASCII),
            text.dropLast().allSatisfy(\.isNumber), let count = Int(text.dropLast()), count <= 100_000
        else { return nil }
        switch unit {
        case "d": self = .days(count)
        case "w": self = .days(count * 7)
        case "h": self = .hours(count)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .days(let n): n % 7 == 0 && n > 0 ? "\(n / 7)w" : "\(n)d"
        case .hours(let n): "\(n)h"
        }
    }

    public var isZero: Bool { self == .days(0) || self == .hours(0) }

    /// The day a lead time of this span falls on, in days before the deadline: a span of
    /// hours before 00:00 of the deadline day falls on the day it reaches back into.
    public var daysBeforeDeadline: Int {
        switch self {
        case .days(let days): days
        case .hours(let hours): (hours + 23) / 24
        }
    }

    /// The span in seconds, days counted as 24 hours (for spans that are not scheduled at
    /// a time of day: retries, link validity).
    public var seconds: Int {
        switch self {
        case .days(let days): days * 86_400
        case .hours(let hours): hours * 3_600
        }
    }
}

/// When scheduled notices are sent.
public struct ReminderSettings: Hashable, Sendable {
    /// Before each deadline.
    public var leadTimes: [ReminderInterval]
    /// Local time of day (the account's zone) for notices scheduled on a date.
    public var at: TimeOfDay
    /// Repeat after the deadline while actions are pending; zero means never.
    public var overdueEvery: ReminderInterval
    public var overdueMax: Int
    /// The most `overdue_max` and `escalate_after` may be.
    public static let repeatLimit = 1000
    /// The days scheduled notices fall on, and the hours notices sent at once wait for.
    public var quiet: QuietTimes
    /// After this many overdue notices, each further one also goes to the account's
    /// manager as an `escalation`; `nil`: never.
    public var escalateAfter: Int?

    public init(
        leadTimes: [ReminderInterval] = [.days(30), .days(14), .days(7), .days(1)],
        at: TimeOfDay = TimeOfDay(hour: 9, minute: 0)!, overdueEvery: ReminderInterval = .days(7),
        overdueMax: Int = 8, quiet: QuietTimes = .none, escalateAfter: Int? = nil
    ) {
        self.escalateAfter = escalateAfter
        self.leadTimes = leadTimes
        self.at = at
        self.overdueEvery = overdueEvery
        self.overdueMax = overdueMax
        self.quiet = quiet
    }
}
