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

    /// `documents` as a message sent now tells them: each without the actions done since it
    /// was issued. When the store cannot be read, they go as they were issued: a reminder a
    /// little out of date is better than none.
    public func brought(upToDate documents: [NoticeDocument]) -> [NoticeDocument] {
        guard
            let acknowledged = try? store.standingAcknowledgements(
                of: accounts(of: documents), catalog: configuration.catalog)
        else {
            return documents
        }
        return documents.map { $0.withoutDone(done(by: $0.account.id, acknowledged)) }
    }

    /// The checklist for the person at `recipient` as it goes out at `now`: its documents
    /// brought up to date, and the person's standing (their language, the steps still to
    /// do that it does not list, the deadlines of its accounts' actions). The store is read
    /// once, for the person's accounts and the documents'. When it cannot be read, the
    /// documents go as issued, with the language only.
    public func checklist(_ documents: [NoticeDocument], to recipient: String, at now: Instant) -> (
        documents: [NoticeDocument], standing: RecipientStanding
    ) {
        let person = accountsByAddress.accounts(of: recipient)
        let language = person.lazy.compactMap(\.language).first
        guard
            let acknowledged = try? store.standingAcknowledgements(
                of: person + accounts(of: documents), catalog: configuration.catalog)
        else {
            return (documents, RecipientStanding(language: language))
        }
        let current = documents.map { $0.withoutDone(done(by: $0.account.id, acknowledged)) }
        let asked = current.reduce(into: [String: Set<String>]()) {
            $0[$1.account.id, default: []].formUnion($1.pending.map(\.id))
        }
        var steps: [RecipientStanding.Step] = []
        var deadlines: [String: [String: CivilDate]] = [:]
        var pendingDays = Set<CivilDate>()
        for account in person {
            let actions = AccountActions(
                account: account, catalog: configuration.catalog, standing: acknowledged[account.id] ?? [:])
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
        let standing = RecipientStanding(
            language: language, otherSteps: steps, deadlines: deadlines, pendingDays: pendingDays, accounts: person)
        return (current, standing)
    }

    /// The action ids done by account `id`, from its standing records and the configuration.
    private func done(by id: String, _ acknowledged: [String: [String: Acknowledgement]]) -> Set<String> {
        let recorded = acknowledged[id].map { Set($0.keys) } ?? []
        return configuration.account(id: id)?.doneActionIDs(acknowledged: recorded, catalog: configuration.catalog)
            ?? recorded
    }

    private func accounts(of documents: [NoticeDocument]) -> [Account] {
        var ids: [String] = []
        for document in documents where !ids.contains(document.account.id) { ids.append(document.account.id) }
        return ids.compactMap(configuration.account(id:))
    }
}
