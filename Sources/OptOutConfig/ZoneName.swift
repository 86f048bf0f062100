import Foundation
import OptOutCore

/// Time zone names as configured, checked for the spellings that read differently from
/// what their writer meant.
enum ZoneName {
    /// What a name stands for: a zone (perhaps with a warning about its spelling), or the
    /// error that makes it unusable. It depends on the name alone.
    enum Reading {
        case zone(Zone, warning: String?)
        case unusable(String)
    }

    /// The zone named at `name`, or `nil` (having reported why).
    static func resolve(_ name: Located<String>, log: DiagnosticLog) -> Zone? {
        report(reading(of: name.value), at: name.location, log: log)
    }

    /// Reports what `reading` says about a name written at `location`; returns its zone.
    static func report(_ reading: Reading, at location: SourceLocation, log: DiagnosticLog) -> Zone? {
        switch reading {
        case .zone(let zone, let warning):
            if let warning { log.warning(warning, at: location) }
            return zone
        case .unusable(let error):
            log.error(error, at: location)
            return nil
        }
    }

    static func reading(of text: String) -> Reading {
        // `GMT+5` means five hours east of UTC to the time zone library but five hours west
        // to POSIX (and to IANA's `Etc/GMT+5`): whoever wrote it may have meant either.
        if isOffsetName(text) {
            return .unusable(
                "time zone \(TerminalText.quoted(text)) is ambiguous (its sign is read both ways); name a place such as Asia/Karachi, or write Etc/GMT-5 for five hours east of UTC"
            )
        }
        guard let zone = Zone(identifier: text) else {
            let expected = namesByLowercase[text.lowercased()].map { "did you mean '\($0)'?" }
            return .unusable(
                "unknown time zone \(TerminalText.quoted(text)); \(expected ?? "expected an IANA name such as Europe/Berlin")"
            )
        }
        if legacyNames.contains(text) {
            return .zone(
                zone,
                warning:
                    "\(TerminalText.quoted(text)) is a legacy POSIX-style zone; name a place such as America/New_York instead"
            )
        } else if text.hasPrefix("Etc/GMT+") || text.hasPrefix("Etc/GMT-") {
            let sign = text.dropFirst("Etc/GMT".count).first == "+" ? "west" : "east"
            return .zone(
                zone,
                warning:
                    "\(TerminalText.quoted(text)) is \(text.dropFirst("Etc/GMT".count + 1)) hours \(sign) of UTC (POSIX signs are inverted)"
            )
        }
        return .zone(zone, warning: nil)
    }

    /// The database's names by their lower-case spelling: a name written in the wrong case
    /// (`europe/berlin`) is answered with the right one. Made once, when first needed.
    private static let namesByLowercase = Dictionary(
        TimeZone.knownTimeZoneIdentifiers.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

    /// The zones of the POSIX era that the database keeps only for compatibility.
    static let legacyNames: Set<String> = ["EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "EST", "MST", "HST"]

    /// `GMT+5`, `UTC-03:00`, `UT+1` and the like.
    private static func isOffsetName(_ text: String) -> Bool {
        for prefix in ["GMT", "UTC", "UT"] where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            guard let sign = rest.first, sign == "+" || sign == "-", rest.count > 1 else { continue }
            return rest.dropFirst().allSatisfy { $0.isASCII && ($0.isNumber || $0 == ":") }
        }
        return false
    }
}

/// The readings of the zone names an inventory has used so far: a large one names a few
/// hundred zones, each on thousands of rows, and each is read once. Only names of zones are
/// kept (the database bounds them); a name that is an error is read again where it repeats.
/// Belongs to one thread.
final class ZoneNameMemo {
    private var readings: [String: ZoneName.Reading] = [:]

    /// `ZoneName.resolve`, reading each distinct name once; every row still gets its own
    /// diagnostics.
    func resolve(_ name: Located<String>, log: DiagnosticLog) -> Zone? {
        if let known = readings[name.value] { return ZoneName.report(known, at: name.location, log: log) }
        let reading = ZoneName.reading(of: name.value)
        if case .zone = reading { readings[name.value] = reading }
        return ZoneName.report(reading, at: name.location, log: log)
    }
}
