/// A header of a webhook request whose value is read from a credential.
public struct WebhookHeader: Hashable, Sendable {
    public var name: String
    public var credential: String

    public init(name: String, credential: String) {
        self.name = name
        self.credential = credential
    }
}

/// What a webhook POSTs: each notice's JSON document, or one chat message per round.
public enum WebhookFormat: String, CaseIterable, Hashable, Sendable {
    case json, slack, mattermost, teams
}

/// One `channels.webhooks` entry.
public struct WebhookSettings: Hashable, Sendable {
    public var name: String
    public var url: String
    public var events: Set<EventKind>
    public var headers: [WebhookHeader]
    public var timeoutSeconds: Int
    public var format: WebhookFormat
    /// The credential holding the Standard Webhooks secret (`whsec_…`) that signs each
    /// request; unsigned without one.
    public var signingSecretCredential: String?

    public init(
        name: String, url: String, events: Set<EventKind> = Set(EventKind.allCases), headers: [WebhookHeader] = [],
        timeoutSeconds: Int = 30, format: WebhookFormat = .json, signingSecretCredential: String? = nil
    ) {
        self.name = name
        self.url = url
        self.events = events
        self.headers = headers
        self.timeoutSeconds = timeoutSeconds
        self.format = format
        self.signingSecretCredential = signingSecretCredential
    }
}
