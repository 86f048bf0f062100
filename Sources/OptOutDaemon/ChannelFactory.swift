import Foundation
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
    /// The store beside which a generated link key is kept; `nil` for no links.
    public let statePath: String?
    /// The store the daemon delivers from: mail reads there what is done by the time it
    /// goes out.
    public let store: StateStore?
    /// The daemon's clock: what a mail says of its round (the date of a summary, its links'
    /// expiry) follows the time the daemon runs at, `run --once --now` included.
    public let clock: @Sendable () -> Instant

    public init(
        logger: Logger, credentials: Credentials = Credentials(), echo: (@Sendable (String) -> Void)? = nil,
        statePath: String? = nil, store: StateStore? = nil,
        clock: @escaping @Sendable () -> Instant = { Instant(Date()) }
    ) {
        self.clock = clock
        self.store = store
        self.statePath = statePath
        self.logger = logger
        self.credentials = credentials
        self.echo = echo
    }

    /// - Parameter links: what gives each mail its recipient's confirmation link, if anything.
    public func channels(for configuration: Configuration, links: ConfirmationLinks? = nil) -> [any NotificationChannel]
    {
        var channels: [any NotificationChannel] = [JournalChannel(echo: echo)]
        if let email = configuration.channels.email {
            channels.append(
                EmailChannel(
                    settings: email, credentials: credentials,
                    renderer: MessageRenderer(settings: configuration.messages), digestTime: configuration.reminders.at,
                    zone: configuration.defaultZone, links: links,
                    currentStanding: store.map { CurrentStanding(store: $0, configuration: configuration) },
                    clock: clock))
        }
        channels += configuration.channels.hooks.map { HookChannel(settings: $0, logger: logger) }
        channels += configuration.channels.webhooks.map { WebhookChannel(settings: $0, credentials: credentials) }
        return channels
    }

    /// The confirmation links of `configuration`; without its key, messages go out without
    /// links and the reason is logged.
    public func links(for configuration: Configuration) -> ConfirmationLinks? {
        guard let statePath else { return nil }
        do {
            return try ConfirmationLinks.load(for: configuration, credentials: credentials, statePath: statePath)
        } catch {
            logger.error("messages go out without confirmation links: \(error)")
            return nil
        }
    }
}
