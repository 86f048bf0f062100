import OptOutCore

/// Time zone names as configured, checked for the spellings that read differently from
/// what their writer meant.
enum ZoneName {
    /// The zone named at `name`, or `nil` (having reported why).
    static func resolve(_ name: Located<String>, log: DiagnosticLog) -> Zone? {
        let text = name.value
        // `GMT+5` means five hours east of UTC to the time zone library but five hours west
        // to POSIX (and to IANA's `Etc/GMT+5`): whoever wrote it may have meant either.
        if isOffsetName(text) {
            log.error(
                "time zone \(quoted(text)) is ambiguous (its sign is read both ways); name a place such as Asia/Karachi, or write Etc/GMT-5 for five hours east of UTC",
                at: name.location)
            return nil
        }
        guard let zone = Zone(identifier: text) else {
            log.error(
                "unknown time zone \(quoted(text)); expected an IANA name such as Europe/Berlin", at: name.location)
            return nil
        }
        if legacyNames.contains(text) {
            log.warning(
                "\(quoted(text)) is a legacy POSIX-style zone; name a place such as America/New_York instead",
                at: name.location)
        } else if text.hasPrefix("Etc/GMT+") || text.hasPrefix("Etc/GMT-") {
            let sign = text.dropFirst("Etc/GMT".count).first == "+" ? "west" : "east"
            log.warning(
                "\(quoted(text)) is \(text.dropFirst("Etc/GMT".count + 1)) hours \(sign) of UTC (POSIX signs are inverted)",
                at: name.location)
        }
        return zone
    }

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
