import OptOutCore

/// The fixed 128-bit ids of optoutd's journal entries, one per kind of entry.
///
/// Generated once with `systemd-id128 new` and documented in `systemd/optoutd.catalog`,
/// so `journalctl -x` explains each entry and `journalctl MESSAGE_ID=…` finds them.
public enum MessageID {
    public static func notice(_ event: EventKind) -> String {
        switch event {
        case .policyApplies: "1719a0f8ff174aca89c0fbb417cd6c81"
        case .deadlineReminder: "f34576b9979543238ac4e8c059425dd9"
        case .policyEffective: "97b578c5528e4f29a965fc0099682f9c"
        case .overdue: "4ae1711585c940c699aaf2d515a825de"
        case .escalation: "9b0e7c2f4d2a4c51a8f3b6d1e7c90a24"
        case .optedOut: "220b194c1d1a4754b3ad896723ae7a36"
        }
    }

    /// The daemon started and is watching its accounts.
    public static let started = "db0c9b9070d647549875078a450fd4e9"
    /// A new configuration was loaded on SIGHUP.
    public static let reloaded = "fbf26fc5b74f45ac86d9b6527ce391b7"
    /// A configuration was rejected on SIGHUP; the running one stays in force.
    public static let configurationRejected = "0eec64ca64ab4c73be86cc4cef2cc43e"
    /// A channel failed to deliver a notice; it will be retried.
    public static let channelFailing = "6b0a17e52bb541faa6c5db86cb228545"
    /// The state store cannot be written (deliveries pause with back-off) or was deleted
    /// (deliveries stop until a restart).
    public static let storeFailing = "5765c879e7d8419fbc1bca2a95ac7263"
    /// The state store can be written again; deliveries go on.
    public static let storeRecovered = "6ce086b86a8f443485ac50ceed466f5d"
    /// The privacy team's compliance summary was mailed (`channels.email.report_to`).
    public static let summaryReportSent = "3f8c1d6a2b7e4e0f9a5d8c4b1e6f2a70"
    /// The compliance summary could not be mailed; it is tried again in an hour.
    public static let summaryReportFailed = "b697216e69004a0ab1a4f182e9be652f"
    /// The clock is behind what the state store has handled: it was set back, or the store
    /// was used with a clock ahead.
    public static let clockBehind = "40d4325363b34063994a71fd2c3f1616"
    /// The daemon is stopping.
    public static let stopping = "527aa0b886d2427b9351191135348673"
}
