import OptOutCore

/// The bounds a configuration is held to. Every number a file or a command line gives is
/// checked against one of these before any arithmetic is done with it: a value outside is
/// a located error (or a usage error), never an overflow.
public enum ConfigurationLimits {
    /// Account, policy, action and platform ids, in characters.
    public static let idLength = 128
    /// Names and titles, in characters.
    public static let nameLength = 256
    /// `where` paths, data categories and other one-line texts of the catalog.
    public static let lineLength = 1024
    /// Summaries and other blocks of text.
    public static let textLength = 8192
    /// URLs, in bytes.
    public static let urlLength = 2048
    /// Lead times, the overdue interval and `give_up_after`: ten years.
    public static let longestInterval = 3650
    /// Hook and webhook timeouts, in seconds: from one second to one hour.
    public static let timeoutSeconds = 1...3600
    /// Entries of a list such as `lead_times`, `cc`, a hook's argv or a webhook's headers.
    public static let listLength = 256
    /// How far `plan --days` looks ahead.
    public static let planDays = 0...3660
    /// The years a date may fall in.
    public static let years = 1900...9999
    /// The last instant that every zone shows with a four-digit year (offsets reach 14
    /// hours): a time given on the command line is before it, and a plan stops there.
    public static let latestInstant = Zone.utc.instant(
        of: CivilDate(year: years.upperBound, month: 12, day: 31)!, at: TimeOfDay(hour: 10, minute: 0)!)
    /// The largest configuration, catalog or inventory file read, in bytes.
    public static let fileSize = 1 << 30
    /// Diagnostics kept per file; the rest are counted.
    public static let diagnosticsPerFile = 100
}
