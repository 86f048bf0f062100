/// A validated configuration: accounts, the catalog in force, reminder and channel settings.
public struct Configuration: Sendable {
    /// The zone of accounts that name none.
    public var defaultZone: Zone
    public var reminders: ReminderSettings
    public var catalog: Catalog
    public var channels: ChannelSettings
    public var messages: MessageSettings
    /// Where people confirm their own opt-outs; `nil` when messages carry no links.
    public var web: WebSettings?
    /// Each id once.
    public private(set) var accounts: [Account]
    /// The index of each account in `accounts`, by id.
    private var accountsByID: IDIndex

    /// Of accounts that share an id, the first is kept.
    public init(
        defaultZone: Zone, reminders: ReminderSettings = ReminderSettings(), catalog: Catalog,
        channels: ChannelSettings = ChannelSettings(), messages: MessageSettings = MessageSettings(),
        web: WebSettings? = nil, accounts: [Account]
    ) {
        let (unique, index) = IDIndex(accounts.map(\.id)).removingRepeats(from: accounts)
        self.init(
            defaultZone: defaultZone, reminders: reminders, catalog: catalog, channels: channels, messages: messages,
            web: web, accounts: unique, accountsByID: index)
    }

    /// For readers that index the accounts as they check that ids are unique, so that
    /// 100,000 ids are not hashed twice. `accountsByID` must be the index of `accounts`,
    /// whose ids do not repeat (see `IDIndex.removingRepeats`).
    package init(
        defaultZone: Zone, reminders: ReminderSettings, catalog: Catalog, channels: ChannelSettings,
        messages: MessageSettings = MessageSettings(), web: WebSettings? = nil, accounts: [Account],
        accountsByID: IDIndex
    ) {
        precondition(accountsByID.repeats.isEmpty, "an index of accounts whose ids do not repeat")
        self.defaultZone = defaultZone
        self.reminders = reminders
        self.catalog = catalog
        self.channels = channels
        self.messages = messages
        self.web = web
        self.accounts = accounts
        self.accountsByID = accountsByID
    }

    /// The ids of `accounts`, in order, side by side.
    var accountIDs: [String] { accountsByID.ids }

    /// The index in `accounts` of the account with this id, if there is one.
    public func accountIndex(of id: String) -> Int? {
        accountsByID.index(of: id)
    }

    /// The account with this id, if there is one.
    public func account(id: String) -> Account? {
        accountIndex(of: id).map { accounts[$0] }
    }

    /// What a command says of an account id it does not know: ids are case-sensitive, so
    /// one written in another case (`Alice`) is answered with the id there is.
    public func unknownAccountMessage(_ id: String) -> String {
        let lowercased = id.lowercased()
        let match = accountIDs.first { $0.lowercased() == lowercased }
        return "unknown account \(TerminalText.quoted(id))" + (match.map { "; did you mean '\($0)'?" } ?? "")
    }

    /// Leaves out every account but the one with this id, and returns `true`; without such
    /// an account, changes nothing and returns `false`.
    public mutating func keepOnlyAccount(_ id: String) -> Bool {
        guard let account = account(id: id) else { return false }
        self = Configuration(
            defaultZone: defaultZone, reminders: reminders, catalog: catalog, channels: channels,
            messages: messages, web: web, accounts: [account])
        return true
    }
}
