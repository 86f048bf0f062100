import OptOutCore
import OptOutRender

/// Where a person's accounts stand when a mail goes out: what is done (the acknowledgements
/// in the state store and the `done` entries of the configuration) and what is still to do.
///
/// A mail goes out a while after its notices were issued: a digest waits for its round, a
/// send that failed is retried, quiet hours hold it. What a person is asked to do is what is
/// still pending when it goes out, not what was pending when the notices were issued; and a
/// message about some of their accounts knows of the others.
public struct CurrentStanding: Sendable {
    public let store: StateStore
    public let configuration: Configuration
    private let accountsByAddress: AccountsByAddress

    public init(store: StateStore, configuration: Configuration) {
        self.store = store
        self.configuration = configuration
        accountsByAddress = AccountsByAddress(configuration)
    }

    /// The action ids done by each of `accounts`.
    public func actions(of accounts: [String]) throws -> [String: Set<String>] {
        let acknowledged = try store.standingAcknowledgements(of: accounts)
        var result: [String: Set<String>] = [:]
        for id in accounts {
            let recorded = acknowledged[id].map { Set($0.keys) } ?? []
            result[id] =
                configuration.account(id: id)?.doneActionIDs(acknowledged: recorded, catalog: configuration.catalog)
                ?? recorded
        }
        return result
    }

    /// `documents` as a message sent now tells them: each without the actions done since it
    /// was issued. When the store cannot be read, they go as they were issued: a reminder a
    /// little out of date is better than none.
    public func brought(upToDate documents: [NoticeDocument]) -> [NoticeDocument] {
        var accounts: [String] = []
        for document in documents where !accounts.contains(document.account.id) { accounts.append(document.account.id) }
        guard let done = try? actions(of: accounts) else { return documents }
        return documents.map { $0.withoutDone(done[$0.account.id] ?? []) }
    }

    /// The language of the person at `recipient`, the steps still to do that a message
    /// asking for `asked` (action ids by account) does not list, on any of their accounts,
    /// and the deadlines of the actions of the accounts it is about, at `now`. When the
    /// store cannot be read, only the language: a message that cannot tell of the rest
    /// still goes out.
    public func standing(of recipient: String, asked: [String: Set<String>], at now: Instant) -> RecipientStanding {
        let accounts = accountsByAddress.accounts(of: recipient)
        let language = accounts.lazy.compactMap(\.language).first
        guard !accounts.isEmpty, let standing = try? store.standingAcknowledgements(of: accounts.map(\.id)) else {
            return RecipientStanding(language: language)
        }
        var steps: [RecipientStanding.Step] = []
        var deadlines: [String: [String: CivilDate]] = [:]
        var pendingDays = Set<CivilDate>()
        for account in accounts {
            let actions = AccountActions(
                account: account, catalog: configuration.catalog, standing: standing[account.id] ?? [:])
            pendingDays.formUnion(actions.pending.map(\.deadline))
            let listed = asked[account.id]
            if listed != nil {
                deadlines[account.id] = Dictionary(
                    actions.items.map { ($0.action.id, $0.deadline) }, uniquingKeysWith: min)
            }
            let today = account.zone.localDate(of: now)
            for item in actions.pending where listed?.contains(item.action.id) != true {
                steps.append(
                    RecipientStanding.Step(
                        account: account.id, platform: account.platform, action: item.action, deadline: item.deadline,
                        overdue: item.deadline <= today))
            }
        }
        return RecipientStanding(
            language: language, otherSteps: steps, deadlines: deadlines, pendingDays: pendingDays, accounts: accounts)
    }
}
