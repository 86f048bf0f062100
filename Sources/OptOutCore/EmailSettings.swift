/// How mail leaves the machine.
public enum MailTransport: Hashable, Sendable {
    /// `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`, as written.
    case smtp(url: String)
    /// `sendmail:PATH`: the message on the program's standard input.
    case sendmail(path: String)
}

/// Whether to upgrade a plain SMTP connection with STARTTLS.
public enum StartTLSPolicy: String, Hashable, Sendable, CaseIterable {
    case required, opportunistic, off
}

/// How many messages a recipient gets.
public enum DigestMode: String, Hashable, Sendable, CaseIterable {
    /// One message per notice.
    case none
    /// One message per recipient per day at `reminders.at`.
    case daily
}

/// The `channels.email` section.
public struct EmailSettings: Hashable, Sendable {
    public var from: String
    public var transport: MailTransport
    public var startTLS: StartTLSPolicy
    public var username: String?
    /// Name of the file in `$CREDENTIALS_DIRECTORY` that holds the password.
    public var passwordCredential: String?
    public var toOwner: Bool
    public var cc: [String]
    public var digest: DigestMode
    public var events: Set<EventKind>
    /// CA certificates to trust for TLS instead of the system's (a private relay's own CA).
    public var tlsCAFile: String?
    /// Who gets the compliance summary with the HTML report attached (the privacy team).
    public var reportTo: [String]
    /// How many days apart the summary goes out, at `reminders.at` in the configuration's zone.
    public var reportEveryDays: Int

    public init(
        from: String, transport: MailTransport, startTLS: StartTLSPolicy = .opportunistic,
        username: String? = nil, passwordCredential: String? = nil, toOwner: Bool = true, cc: [String] = [],
        digest: DigestMode = .none, events: Set<EventKind> = Set(EventKind.allCases), tlsCAFile: String? = nil,
        reportTo: [String] = [], reportEveryDays: Int = 7
    ) {
        self.reportTo = reportTo
        self.reportEveryDays = reportEveryDays
        self.from = from
        self.transport = transport
        self.startTLS = startTLS
        self.username = username
        self.passwordCredential = passwordCredential
        self.toOwner = toOwner
        self.cc = cc
        self.digest = digest
        self.events = events
        self.tlsCAFile = tlsCAFile
    }
}
