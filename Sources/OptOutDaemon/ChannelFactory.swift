import Logging
import OptOutCore
import OptOutRender

/// Builds the channels a configuration asks for: always the journal, then mail, hooks
/// and webhooks as configured.
public struct ChannelFactory: Sendable {
    public let logger: Logger
    public let credentials: Credentials
    /// Shows each notice the journal gets as a line (for a daemon run in a terminal).
    public let echo: (@Sendable (String) -> Void)?

    public init(
        logger: Logger, credentials: Credentials = Credentials(), echo: (@Sendable (String) -> Void)? = nil
    ) {
        self.logger = logger
        self.credentials = credentials
        self.echo = echo
    }

    public func channels(for configuration: Configuration) -> [any NotificationChannel] {
        var channels: [any NotificationChannel] = [JournalChannel(echo: echo)]
        if let email = configuration.channels.email {
            channels.append(
                EmailChannel(
                    settings: email, credentials: credentials,
                    renderer: MessageRenderer(settings: configuration.messages), digestTime: configuration.reminders.at,
                    zone: configuration.defaultZone))
        }
        channels += configuration.channels.hooks.map { HookChannel(settings: $0, logger: logger) }
        channels += configuration.channels.webhooks.map { WebhookChannel(settings: $0, credentials: credentials) }
        return channels
    }
}
