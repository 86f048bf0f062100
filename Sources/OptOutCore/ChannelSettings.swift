/// Where notifications go besides the journal, which always gets every one.
public struct ChannelSettings: Hashable, Sendable {
    public var email: EmailSettings?
    public var hooks: [HookSettings]
    public var webhooks: [WebhookSettings]
    /// How long a delivery is retried before it is reported as never delivered.
    public var giveUpAfterSeconds: Int

    public init(
        email: EmailSettings? = nil, hooks: [HookSettings] = [], webhooks: [WebhookSettings] = [],
        giveUpAfterSeconds: Int = 7 * 86_400
    ) {
        self.email = email
        self.hooks = hooks
        self.webhooks = webhooks
        self.giveUpAfterSeconds = giveUpAfterSeconds
    }

    /// The name of the journal channel, which every notice reaches.
    public static let journal = "journal"

    /// The names of the channels that deliver `event`, journal first.
    public func names(for event: EventKind) -> [String] {
        var names = [ChannelSettings.journal]
        if let email, email.events.contains(event) { names.append("email") }
        names += hooks.filter { $0.events.contains(event) }.map(\.name)
        names += webhooks.filter { $0.events.contains(event) }.map(\.name)
        return names
    }
}
