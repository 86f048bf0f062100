/// Everything asked of one account, as the person who owns it sees it: each action id once
/// (two policies of a platform asking for the same switch ask for one thing), with the
/// earliest deadline that asks for it and whether it is done.
public struct AccountActions: Sendable {
    public struct Item: Sendable {
        public let action: PolicyAction
        /// The earliest deadline of the policies that ask for it.
        public let deadline: CivilDate
        /// The record that stands for it, if someone acknowledged it.
        public let record: Acknowledgement?
        /// The configuration's `done:` marks it as done.
        public let doneInConfiguration: Bool

        public var isDone: Bool { record != nil || doneInConfiguration }
    }

    public let account: Account
    /// In the order the catalog's policies ask for them.
    public let items: [Item]

    /// - Parameter standing: the records that stand for the account, by action id.
    public init(account: Account, catalog: Catalog, standing: [String: Acknowledgement]) {
        self.account = account
        let configured = account.doneActionIDs(catalog: catalog)
        var items: [Item] = []
        for policy in catalog.policies(of: account) {
            for action in policy.actions {
                if let index = items.firstIndex(where: { $0.action.id == action.id }) {
                    if policy.deadline < items[index].deadline {
                        let item = items[index]
                        items[index] = Item(
                            action: item.action, deadline: policy.deadline, record: item.record,
                            doneInConfiguration: item.doneInConfiguration)
                    }
                    continue
                }
                items.append(
                    Item(
                        action: action, deadline: policy.deadline, record: standing[action.id],
                        doneInConfiguration: configured.contains(action.id)))
            }
        }
        self.items = items
    }

    public var pending: [Item] { items.filter { !$0.isDone } }
}
