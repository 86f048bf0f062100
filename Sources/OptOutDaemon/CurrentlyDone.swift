import OptOutCore

/// What accounts have done by now: their acknowledgements in the state store and the
/// `done` entries of the configuration.
///
/// A mail goes out a while after its notices were issued: a digest waits for its round, a
/// send that failed is retried, quiet hours hold it. What a person is asked to do is what is
/// still pending when it goes out, not what was pending when the notices were issued.
public struct CurrentlyDone: Sendable {
    public let store: StateStore
    public let configuration: Configuration

    public init(store: StateStore, configuration: Configuration) {
        self.store = store
        self.configuration = configuration
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
}
