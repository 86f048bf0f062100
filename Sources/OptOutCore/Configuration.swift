/// A span written as a whole number and a unit: `30d`, `2w`, `12h`.
public enum ReminderInterval: Hashable, Sendable, CustomStringConvertible {
    /// Whole days: scheduled at `reminders.at` local time on the resulting date.
    case days(Int)
    /// Hours: scheduled that exact span away.
    case hours(Int)

    /// Parses `<N>d`, `<N>w` or `<N>h`.
    public init?(parsing text: String) {
        guard let unit = text.last, text.count >= 2, text.dropLast().allSatisfy(\.isASCII),
            text.dropLast().allSatisfy(\.isNumber), let count = Int(text.dropLast()), count <= 100_000
        else { return nil }
        switch unit {
        case "d": self = .days(count)
        case "w": self = .days(count * 7)
        case "h": self = .hours(count)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .days(let n): n % 7 == 0 && n > 0 ? "\(n / 7)w" : "\(n)d"
        case .hours(let n): "\(n)h"
        }
    }

    public var isZero: Bool { self == .days(0) || self == .hours(0) }
}

/// When scheduled notices are sent.
public struct ReminderSettings: Hashable, Sendable {
    /// Before each deadline.
    public var leadTimes: [ReminderInterval]
    /// Local time of day (the account's zone) for notices scheduled on a date.
    public var at: TimeOfDay
    /// Repeat after the deadline while actions are pending; zero means never.
    public var overdueEvery: ReminderInterval
    public var overdueMax: Int

    public init(
        leadTimes: [ReminderInterval] = [.days(30), .days(14), .days(7), .days(1)],
        at: TimeOfDay = TimeOfDay(hour: 9, minute: 0)!, overdueEvery: ReminderInterval = .days(7),
        overdueMax: Int = 8
    ) {
        self.leadTimes = leadTimes
        self.at = at
        self.overdueEvery = overdueEvery
        self.overdueMax = overdueMax
    }
}

/// The kinds of notification, as written in `OPTOUT_EVENT` and in `events:` lists.
public enum EventKind: String, CaseIterable, Hashable, Sendable, Comparable {
    case policyApplies = "policy-applies"
    case deadlineReminder = "deadline-reminder"
    case policyEffective = "policy-effective"
    case overdue = "overdue"
    case optedOut = "opted-out"

    /// The syslog priority of the journal entry.
    public var priority: Int {
        switch self {
        case .policyApplies: 5
        case .deadlineReminder: 4
        case .policyEffective, .overdue: 3
        case .optedOut: 6
        }
    }

    public static func < (lhs: EventKind, rhs: EventKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

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

    public init(
        from: String, transport: MailTransport, startTLS: StartTLSPolicy = .opportunistic,
        username: String? = nil, passwordCredential: String? = nil, toOwner: Bool = true, cc: [String] = [],
        digest: DigestMode = .none, events: Set<EventKind> = Set(EventKind.allCases), tlsCAFile: String? = nil
    ) {
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

/// One `channels.hooks` entry: a command run with argv, never through a shell.
public struct HookSettings: Hashable, Sendable {
    public var name: String
    public var command: [String]
    public var events: Set<EventKind>
    /// Seconds before the command is killed.
    public var timeoutSeconds: Int

    public init(
        name: String, command: [String], events: Set<EventKind> = Set(EventKind.allCases), timeoutSeconds: Int = 30
    ) {
        self.name = name
        self.command = command
        self.events = events
        self.timeoutSeconds = timeoutSeconds
    }
}

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

/// A validated configuration: accounts, the catalog in force, reminder and channel settings.
public struct Configuration: Sendable {
    /// The zone of accounts that name none.
    public var defaultZone: Zone
    public var reminders: ReminderSettings
    public var catalog: Catalog
    public var channels: ChannelSettings
    /// Each id once.
    public private(set) var accounts: [Account]
    /// The place of each account in `accounts`, by id.
    private var accountIndex: IDIndex

    /// Of accounts that share an id, the first is kept.
    public init(
        defaultZone: Zone, reminders: ReminderSettings = ReminderSettings(), catalog: Catalog,
        channels: ChannelSettings = ChannelSettings(), accounts: [Account]
    ) {
        var repeated = Set<Int>()
        var index = IDIndex(hashes: accounts.map(\.id.hashValue), id: { accounts[$0].id }) { number, _ in
            repeated.insert(number)
        }
        var unique = accounts
        if !repeated.isEmpty {
            unique = accounts.indices.filter { !repeated.contains($0) }.map { accounts[$0] }
            index = IDIndex(unique.map(\.id))
        }
        self.init(
            defaultZone: defaultZone, reminders: reminders, catalog: catalog, channels: channels, accounts: unique,
            accountIndex: index)
    }

    /// For readers that index the accounts as they check that ids are unique, so that
    /// 100,000 ids are not hashed twice. `accountIndex` must be the index of `accounts`.
    package init(
        defaultZone: Zone, reminders: ReminderSettings, catalog: Catalog, channels: ChannelSettings,
        accounts: [Account], accountIndex: IDIndex
    ) {
        self.defaultZone = defaultZone
        self.reminders = reminders
        self.catalog = catalog
        self.channels = channels
        self.accounts = accounts
        self.accountIndex = accountIndex
    }

    /// The place in `accounts` of the account with this id, if there is one.
    public func accountNumber(_ id: String) -> Int? {
        accountIndex.number(of: id) { accounts[$0].id }
    }

    /// The account with this id, if there is one.
    public func account(_ id: String) -> Account? {
        accountNumber(id).map { accounts[$0] }
    }

    /// Leaves out every account but the one with this id; returns whether there is one.
    public mutating func keepOnlyAccount(_ id: String) -> Bool {
        accounts = account(id).map { [$0] } ?? []
        accountIndex = IDIndex(accounts.map(\.id))
        return !accounts.isEmpty
    }
}
