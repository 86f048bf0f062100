/// Lists of pending actions, each made once and shared by the pairs that have it, by index.
///
/// The first lists are the policies' own, by policy index: the lists of pairs with nothing
/// done. The others are made as accounts with some action done need them.
struct PendingLists: Sendable {
    private var lists: [[PolicyAction]]
    /// What each list says of its pairs, by index.
    private var standings: [PairStanding]
    /// How many lists are the policies' own.
    private let policyCount: Int
    private var indices: [Key: Int32] = [:]
    /// The keys of the lists after the policies' own, in order.
    private var keys: [Key] = []

    /// A list after the policies' own: the actions of one policy that are not done.
    private struct Key: Hashable {
        var policy: Int
        /// The actions not done: those of the first 64 as bits by position, the others listed.
        var kept: UInt64
        var keptBeyond64: [Int]
    }

    init(_ catalog: Catalog) {
        lists = catalog.policies.map(\.actions)
        standings = catalog.policies.map { $0.isInformational ? .informational : .pending }
        policyCount = lists.count
    }

    subscript(index: Int32) -> [PolicyAction] { lists[Int(index)] }

    /// Whether pairs with the list at `index` have actions pending, have all of them done,
    /// or belong to a policy that offers none.
    func standing(_ index: Int32) -> PairStanding { standings[Int(index)] }

    /// Every list, by index.
    var all: [[PolicyAction]] { lists }

    /// The index of the list of the actions of the policy at `policy` not in `done`.
    mutating func index(policy: Int, _ actions: [PolicyAction], done: Set<String>) -> Int32 {
        guard !done.isEmpty else { return Int32(policy) }
        var key = Key(policy: policy, kept: 0, keptBeyond64: [])
        var keptCount = 0
        for (position, action) in actions.enumerated() where !done.contains(action.id) {
            if position < 64 { key.kept |= 1 << UInt64(position) } else { key.keptBeyond64.append(position) }
            keptCount += 1
        }
        guard keptCount < actions.count else { return Int32(policy) }
        return index(key) {
            actions.indices.filter { $0 < 64 ? key.kept & (1 << UInt64($0)) != 0 : key.keptBeyond64.contains($0) }
                .map { actions[$0] }
        }
    }

    /// Takes on the lists of `other`, made for other pairs of the same catalog; returns the
    /// index each of them has here, by its index there.
    mutating func takeOn(_ other: PendingLists) -> [Int32] {
        var reindexed = (0..<policyCount).map(Int32.init)
        for (offset, key) in other.keys.enumerated() {
            reindexed.append(index(key) { other.lists[other.policyCount + offset] })
        }
        return reindexed
    }

    private mutating func index(_ key: Key, list: () -> [PolicyAction]) -> Int32 {
        if let known = indices[key] { return known }
        let made = list()
        lists.append(made)
        // Some action of the policy is done, so the policy offers some.
        standings.append(made.isEmpty ? .done : .pending)
        keys.append(key)
        indices[key] = Int32(lists.count - 1)
        return Int32(lists.count - 1)
    }
}
