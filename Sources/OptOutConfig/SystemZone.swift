import Foundation
import OptOutCore

/// The system's time zone, for a configuration without `timezone`: `$TZ` read the way the
/// C library reads it, else the zone `/etc/localtime` links to.
///
/// Foundation reads only a bare IANA name from `$TZ` and takes anything else for UTC, with
/// no word: `:Europe/Berlin`, a path into the zone database or a POSIX rule would move
/// every reminder by hours unseen.
enum SystemZone {
    /// Where the zone's name was found, to say so when it names no zone.
    enum Source: Equatable {
        /// The IANA name found (`$TZ` empty is UTC, as in the C library).
        case name(String)
        /// `$TZ` names a file outside the zone database. (A POSIX rule such as
        /// `CET-1CEST,M3.5.0,M10.5.0/3` is taken as a name, which names no zone.)
        case unusable(tz: String)
        /// `/etc/localtime` is a copy rather than a link: only the time zone library knows
        /// which zone it is.
        case library
    }

    /// What `tz` (the value of `$TZ`, `nil` when unset) and `localtimeTarget` (where the
    /// `/etc/localtime` link points, `nil` when it is no link) say the zone is.
    static func source(tz: String?, localtimeTarget: String?) -> Source {
        guard let tz else { return localtimeTarget.flatMap(databaseName(ofFile:)).map(Source.name) ?? .library }
        var name = tz
        if name.isEmpty { return .name("UTC") }
        if name.hasPrefix(":") { name.removeFirst() }
        guard name.hasPrefix("/") else { return .name(name) }
        if name == "/etc/localtime" {
            return localtimeTarget.flatMap(databaseName(ofFile:)).map(Source.name) ?? .library
        }
        return databaseName(ofFile: name).map(Source.name) ?? .unusable(tz: tz)
    }

    /// The zone of this process's environment; an unusable `$TZ` is a warning, and UTC.
    static func zone(log: DiagnosticLog, at location: SourceLocation) -> Zone {
        let tz = ProcessInfo.processInfo.environment["TZ"]
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime")
        let unusable: String
        switch source(tz: tz, localtimeTarget: target) {
        case .library:
            return Zone.system
        case .name(let name):
            switch ZoneName.reading(of: name) {
            case .zone(let zone, _): return zone
            case .unusable: unusable = name
            }
        case .unusable(let text):
            unusable = text
        }
        let setting =
            tz.map { "$TZ (\(TerminalText.quoted($0)))" } ?? "/etc/localtime (\(TerminalText.quoted(unusable)))"
        log.warning(
            "no timezone is set, and \(setting) names no zone of the time zone database; UTC is used: set timezone, such as Europe/Berlin",
            at: location)
        return .utc
    }

    /// `Europe/Berlin` for `/usr/share/zoneinfo/Europe/Berlin` (or `../usr/share/zoneinfo/…`,
    /// as links often say, and the database's `posix/` and `right/` copies).
    private static func databaseName(ofFile path: String) -> String? {
        guard let range = path.range(of: "zoneinfo/", options: .backwards) else { return nil }
        var name = path[range.upperBound...]
        for copy in ["posix/", "right/"] where name.hasPrefix(copy) { name = name.dropFirst(copy.count) }
        return name.isEmpty ? nil : String(name)
    }
}
