import OptOutCore

/// Durations as configured: a whole number and a unit (`30d`, `2w`, `12h`, `90s`).
///
/// The number is digits only (no sign, no spaces) and short enough that no unit can make
/// it overflow; each key then holds it to its own range.
extension YAMLReader {
    /// A reminder interval of days, weeks or hours, at most `ConfigurationLimits.longestInterval` days.
    func interval(_ node: YAMLNode, _ what: String, allowZero: Bool = false) -> ReminderInterval? {
        let maximum = ConfigurationLimits.longestInterval
        let expectation =
            "a duration such as 30d, 2w or 12h, from \(allowZero ? "0d" : "1h") to \(maximum)d"
        return parsed(node, what, as: expectation) { text -> ReminderInterval? in
            guard let (count, unit) = Self.split(text) else { return nil }
            let interval: ReminderInterval
            switch unit {
            case "d": interval = .days(count)
            case "w": interval = .days(count * 7)
            case "h": interval = .hours(count)
            default: return nil
            }
            let days =
                switch interval {
                case .days(let days): days
                case .hours(let hours): (hours + 23) / 24
                }
            guard days <= maximum, allowZero || !interval.isZero else { return nil }
            return interval
        }
    }

    /// Seconds written with `s`, `m` or `h`, within `range`.
    func seconds(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>) -> Int? {
        parsed(
            node, what, as: "a duration such as 30s, 5m or 1h, from \(range.lowerBound)s to \(range.upperBound / 3600)h"
        ) { text in
            guard let (count, unit) = Self.split(text) else { return nil }
            let seconds: Int
            switch unit {
            case "s": seconds = count
            case "m": seconds = count * 60
            case "h": seconds = count * 3600
            default: return nil
            }
            return range.contains(seconds) ? seconds : nil
        }
    }

    /// The number and unit of `<digits><unit>`; at most seven digits, so that the number
    /// times any unit's seconds stays far from overflowing.
    private static func split(_ text: String) -> (count: Int, unit: Character)? {
        guard let unit = text.last, text.utf8.count >= 2, text.utf8.count <= 8 else { return nil }
        let digits = text.utf8.dropLast()
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return (digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }, unit)
    }
}
