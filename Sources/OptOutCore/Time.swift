import Foundation

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
///
/// The engine never reads a clock: every function that needs "now" takes an `Instant`.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var secondsSince1970: Int

    public init(secondsSince1970: Int) {
        self.secondsSince1970 = secondsSince1970
    }

    public init(_ date: Date) {
        self.secondsSince1970 = Int(date.timeIntervalSince1970.rounded(.down))
    }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    public func adding(seconds: Int) -> Instant {
        Instant(secondsSince1970: secondsSince1970 + seconds)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    /// RFC 3339 in UTC.
    public var description: String { Zone.utc.rfc3339(self) }

    /// Parses RFC 3339 / ISO 8601 date-times such as `2025-10-27T09:00:00+01:00`,
    /// `2025-10-27T08:00:00Z` or `2025-10-27T09:00` (then read in `zone`), and plain dates
    /// (`2025-10-27`, midnight in `zone`).
    public init?(iso string: String, defaultZone zone: Zone) {
        let bytes = Array(string.utf8)
        guard bytes.count >= 10, let date = CivilDate(iso: string.prefix(10)) else { return nil }
        if bytes.count == 10 {
            self = zone.midnight(of: date)
            return
        }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes.count >= 16 else { return nil }
        var rest = Substring(string.dropFirst(11))
        let clock = rest.prefix { $0.isNumber || $0 == ":" }
        rest = rest.dropFirst(clock.count)
        if rest.first == "." { rest = rest.drop { $0 == "." || $0.isNumber } }
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
            let hour = Int(parts[0]), let minute = Int(parts[1]),
            let time = TimeOfDay(hour: hour, minute: minute, second: parts.count == 3 ? Int(parts[2]) ?? -1 : 0)
        else { return nil }
        let localSeconds = date.dayNumber * 86_400 + time.secondsIntoDay
        switch rest {
        case "":
            self = zone.instant(localSeconds: localSeconds)
        case "Z", "z":
            self = Instant(secondsSince1970: localSeconds)
        default:
            let sign = rest.first == "+" ? 1 : rest.first == "-" ? -1 : 0
            let offset = rest.dropFirst().split(separator: ":")
            guard sign != 0, offset.count == 2, offset.allSatisfy({ $0.count == 2 }),
                let hours = Int(offset[0]), let minutes = Int(offset[1]), hours < 24, minutes < 60
            else { return nil }
            self = Instant(secondsSince1970: localSeconds - sign * (hours * 3600 + minutes * 60))
        }
    }
}

/// A local wall-clock time of day, such as `09:00`.
public struct TimeOfDay: Hashable, Sendable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int
    public let second: Int

    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses `HH:MM` (24-hour clock).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var secondsIntoDay: Int { hour * 3600 + minute * 60 + second }

    public var description: String { "\(pad(hour, 2)):\(pad(minute, 2))" }
}

/// An IANA time zone, with the conversions the engine needs between instants and local dates.
///
/// Each identifier is looked up in the time zone database once per process (inventories name
/// a few zones many times), and zones compare and hash by a number given to each identifier.
/// A zone is one reference to what the registry keeps of it: 100,000 accounts hold one each.
public struct Zone: Hashable, Sendable, CustomStringConvertible {
    private final class Entry: Sendable {
        let identifier: String
        let timeZone: TimeZone
        let number: Int

        init(identifier: String, timeZone: TimeZone, number: Int) {
            self.identifier = identifier
            self.timeZone = timeZone
            self.number = number
        }
    }

    private let entry: Entry

    /// The IANA identifier, such as `Europe/Berlin`.
    public var identifier: String { entry.identifier }
    private var timeZone: TimeZone { entry.timeZone }
    /// Unique to the identifier in this process, counting from 0.
    var number: Int { entry.number }

    /// `nil` unless `identifier` names a zone in the system's time zone database.
    public init?(identifier: String) {
        guard let zone = Zone.registry.zone(identifier, else: { TimeZone(identifier: $0) }) else { return nil }
        self = zone
    }

    init(_ timeZone: TimeZone) {
        self = Zone.registry.zone(timeZone.identifier, else: { _ in timeZone })!
    }

    init(identifier: String, timeZone: TimeZone, number: Int) {
        entry = Entry(identifier: identifier, timeZone: timeZone, number: number)
    }

    public static let utc = Zone(TimeZone(identifier: "UTC")!)

    /// The zone of `TimeZone.current` (the system's, or `$TZ`).
    public static var system: Zone { Zone(TimeZone.current) }

    public var description: String { identifier }

    public static func == (lhs: Zone, rhs: Zone) -> Bool { lhs.number == rhs.number }
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }

    /// Seconds east of UTC in force at `instant`.
    public func offset(at instant: Instant) -> Int {
        timeZone.secondsFromGMT(for: instant.date)
    }

    /// The local calendar date at `instant`.
    public func localDate(of instant: Instant) -> CivilDate {
        let local = instant.secondsSince1970 + offset(at: instant)
        return CivilDate(dayNumber: local.floorDivided(by: 86_400))
    }

    /// The instant at which local clocks show `time` on `date`. A time skipped by a
    /// forward change (spring DST gap) maps to the same distance after the change;
    /// a time shown twice (autumn) maps to its first occurrence.
    public func instant(of date: CivilDate, at time: TimeOfDay) -> Instant {
        instant(localSeconds: date.dayNumber * 86_400 + time.secondsIntoDay)
    }

    /// The start of `date` in this zone: a deadline date D means "before this instant".
    public func midnight(of date: CivilDate) -> Instant {
        instant(localSeconds: date.dayNumber * 86_400)
    }

    /// The instant for a local wall-clock reading given as seconds since the local epoch.
    func instant(localSeconds: Int) -> Instant {
        // Try the offsets in force a day either side; the earliest that maps back is the first occurrence.
        let before = offset(at: Instant(secondsSince1970: localSeconds - 86_400))
        let after = offset(at: Instant(secondsSince1970: localSeconds + 86_400))
        for candidate in [before, after].sorted(by: >) {
            let instant = Instant(secondsSince1970: localSeconds - candidate)
            if offset(at: instant) == candidate { return instant }
        }
        // In a gap: no reading exists, so shift by the size of the gap.
        return Instant(secondsSince1970: localSeconds - before)
    }

    /// RFC 3339 with the local offset, such as `2025-10-27T09:00:00+01:00`.
    public func rfc3339(_ instant: Instant) -> String {
        Zone.rfc3339(instant, utcOffset: offset(at: instant))
    }
}

extension Int {
    /// Division rounding towards negative infinity.
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
