/// A header of a webhook request whose value is read from a credential.
public struct WebhookHeader: Hashable, Sendable {
    public var name: String
    public var credential: String

    public init(name: String, credential: String) {
        self.name = name
        self.credential = credential
    }
}

/// One `channels.webhooks` entry.
public struct WebhookSettings: Hashable, Sendable {
    public var name: String
    public var url: String
    public var events: Set<EventKind>
    public var headers: [WebhookHeader]
    public var timeoutSeconds: Int

    public init(
        name: String, url: String, events: Set<EventKind> = Set(EventKind.allCases), headers: [WebhookHeader] = [],
        timeoutSeconds: Int = 30
    ) {
        self.name = name
        self.url = url
        self.events = events
        self.headers = headers
        self.timeoutSeconds = timeoutSeconds
    }
}
