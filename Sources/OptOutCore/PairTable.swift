/// The pairs of a range of accounts, stored account by account, with the pending lists they
/// name.
///
/// Tables of consecutive ranges can be made apart (such as on several threads) and then
/// joined in account order: the result is the table one pass over every account makes.
struct PairTable: Sendable {
    private(set) var pairs: [SchedulerPair] = []
    private(set) var pendingLists: PendingLists
    /// The pairs of each account of the range, by account index from the range's start.
    private(set) var pairRanges: [Range<Int>] = []
    /// The region of each account of the range, likewise: what notices show of an account
    /// besides its id, kept side by side, as reaching each account for it is a trip far off
    /// in memory.
    private(set) var regions: [CountryCode] = []

    /// An empty table.
    init(_ catalog: Catalog) {
        pendingLists = PendingLists(catalog)
    }

    /// The pairs of the accounts in `accounts`: each account with each policy that covers it.
    init(
        accounts: Range<Int>, configuration: Configuration, histories: [PairKey: PairHistory],
        acknowledged: [String: Set<String>]
    ) {
        let catalog = configuration.catalog
        self.init(catalog)
        pairRanges.reserveCapacity(accounts.count)
        regions.reserveCapacity(accounts.count)
        // At most every policy of a platform per account: memory reserved and not touched
        // costs nothing, while growing the array step by step copies it again and again.
        let mostPoliciesPerPlatform = catalog.platforms.map { catalog.policyIndices(platform: $0).count }.max() ?? 0
        pairs.reserveCapacity(accounts.count * mostPoliciesPerPlatform)
        // Accounts of one platform tend to come together: its policies are looked up once per run.
        var platformPolicies = (platform: "", byCountry: CoverageTable.noPolicies)
        // Accounts with the same `done` entries and nothing acknowledged have the same pending
        // lists: by policy index, found once.
        var pendingByDoneEntries: [[DoneMark]: [Int32]] = [:]
        for accountIndex in accounts {
            let account = configuration.accounts[accountIndex]
            // Lookups in empty dictionaries still hash their keys: a first start has no state.
            let acked = acknowledged.isEmpty ? nil : acknowledged[account.id]
            // `nil` while nothing is done: each policy's own list.
            var pendingByPolicy: [Int32]?
            if acked == nil, !account.done.isEmpty, let known = pendingByDoneEntries[account.done] {
                pendingByPolicy = known
            } else if acked != nil || !account.done.isEmpty {
                let done = account.doneActionIDs(acknowledged: acked, catalog: catalog)
                let indices = catalog.policies.indices.map {
                    pendingLists.index(policy: $0, catalog.policies[$0].actions, done: done)
                }
                if acked == nil { pendingByDoneEntries[account.done] = indices }
                pendingByPolicy = indices
            }
            let firstPair = pairs.count
            if account.platform != platformPolicies.platform {
                platformPolicies = (account.platform, catalog.coverage(platform: account.platform))
            }
            for policyIndex in platformPolicies.byCountry[account.region] {
                let history =
                    histories.isEmpty
                    ? nil : histories[PairKey(account: account.id, policy: catalog.policies[policyIndex].id)]
                let pending = pendingByPolicy?[policyIndex] ?? Int32(policyIndex)
                pairs.append(
                    SchedulerPair(
                        account: accountIndex, zone: account.zone, policy: policyIndex, history: history,
                        pending: pending))
            }
            pairRanges.append(firstPair..<pairs.count)
            regions.append(account.region)
        }
    }

    /// The accounts a range made apart holds at least: fewer cost more to hand over than
    /// they save.
    static let smallestPart = 16_384

    /// The pairs of every account of the configuration. With large inventories, those of
    /// each range of at least `smallestPart` accounts are made apart, handed to `parallel`
    /// (one range per piece it runs at once at most), then put together in account order.
    init(
        configuration: Configuration, histories: [PairKey: PairHistory], acknowledged: [String: Set<String>],
        parallel: any ParallelMap, smallestPart: Int = smallestPart
    ) {
        let accountCount = configuration.accounts.count
        let partCount = max(1, min(parallel.width, accountCount / smallestPart))
        let ranges = (0..<partCount).map { part in
            (accountCount * part / partCount)..<(accountCount * (part + 1) / partCount)
        }
        let parts = parallel.map(ranges) { accounts in
            PairTable(
                accounts: accounts, configuration: configuration, histories: histories, acknowledged: acknowledged)
        }
        guard parts.count > 1 else {
            self = parts[0]
            return
        }
        self.init(configuration.catalog)
        // Each part's pending lists are taken on here; the pairs of a part are then copied
        // into the whole, pointed to these lists, with `parallel` too.
        var takenOn: [[Int32]] = []
        for part in parts { takenOn.append(pendingLists.takeOn(part.pendingLists)) }
        let listIndices = takenOn
        let starts = parts.reduce(into: [0]) { $0.append($0.last! + $1.pairs.count) }
        pairs = [SchedulerPair](unsafeUninitializedCapacity: starts.last!) { whole, initialized in
            // Each part initializes its own range of the buffer, and nothing else.
            nonisolated(unsafe) let whole = whole
            _ = parallel.map(Array(parts.indices)) { part in
                for (offset, pair) in parts[part].pairs.enumerated() {
                    var moved = pair
                    moved.pending = listIndices[part][Int(pair.pending)]
                    (whole.baseAddress! + starts[part] + offset).initialize(to: moved)
                }
            }
            initialized = starts.last!
        }
        pairRanges.reserveCapacity(accountCount)
        for (part, start) in zip(parts, starts) {
            pairRanges += part.pairRanges.map { ($0.lowerBound + start)..<($0.upperBound + start) }
        }
        regions.reserveCapacity(accountCount)
        for part in parts { regions += part.regions }
    }

    subscript(index: Int) -> SchedulerPair {
        get { pairs[index] }
        _modify { yield &pairs[index] }
    }

    var indices: Range<Int> { pairs.indices }

    /// The pairs of the account at `account`.
    func pairs(ofAccount account: Int) -> Range<Int> { pairRanges[account] }

    /// The region of the account at `account`.
    func region(ofAccount account: Int) -> CountryCode { regions[account] }

    /// Points the pair at `index` to the list of its policy's actions not in `done`.
    mutating func setPending(_ index: Int, done: Set<String>, catalog: Catalog) {
        let policy = pairs[index].policy
        pairs[index].pending = pendingLists.index(policy: policy, catalog.policies[policy].actions, done: done)
    }
}
