/// One opt-out step a platform offers, such as a settings switch or a form.
///
/// Action ids belong to the platform: the same id in two policies of one platform is
/// the same switch, and doing it once does it for both.
public struct PolicyAction: Hashable, Sendable {
    public var id: String
    public var title: String
    /// Where to click, such as `Settings → Data privacy → …`.
    public var location: String
    /// The page that holds the switch or form.
    public var url: String?

    public init(id: String, title: String, location: String, url: String? = nil) {
        self.id = id
        self.title = title
        self.location = location
        self.url = url
    }
}

/// Where a fact of a policy comes from, and which fact.
public struct PolicySource: Hashable, Sendable {
    /// The page that states the fact; `nil` for a publication known only by its title.
    public var url: String?
    /// The publication's title, when it is cited by name.
    public var title: String?
    /// The fact the source supports, in the catalog's own words.
    public var supports: String

    public init(url: String?, title: String? = nil, supports: String) {
        self.url = url
        self.title = title
        self.supports = supports
    }
}

/// A change in what a platform does with member data, for some regions, from a date.
///
/// A policy without actions informs: there is nothing to opt out of.
///
/// A class: notices refer to their policy, and there may be millions of notices.
public final class Policy: Sendable {
    public let id: String
    public let platform: String
    public let title: String
    public let summary: String
    /// The date the change applies.
    public let effective: CivilDate
    /// Opt out before 00:00 of this date (in the account's zone).
    public let deadline: CivilDate
    /// Region names as written (`EU`, `CH`, `*`), for display.
    public let regions: [String]
    public let except: [String]
    /// The countries covered: `regions` minus `except`.
    public let coverage: RegionSet
    public let dataUsed: [String]
    public let dataNotUsed: [String]
    public let sharedWith: [String]
    public let actions: [PolicyAction]
    public let sources: [PolicySource]

    public init(
        id: String, platform: String, title: String, summary: String, effective: CivilDate,
        deadline: CivilDate, regions: [String], except: [String], coverage: RegionSet,
        dataUsed: [String] = [], dataNotUsed: [String] = [], sharedWith: [String] = [],
        actions: [PolicyAction], sources: [PolicySource] = []
    ) {
        self.id = id
        self.platform = platform
        self.title = title
        self.summary = summary
        self.effective = effective
        self.deadline = deadline
        self.regions = regions
        self.except = except
        self.coverage = coverage
        self.dataUsed = dataUsed
        self.dataNotUsed = dataNotUsed
        self.sharedWith = sharedWith
        self.actions = actions
        self.sources = sources
    }

    /// Whether the change offers no way to opt out: its notices inform, on the first sighting
    /// and on the effective date, and never remind.
    public var isInformational: Bool { actions.isEmpty }

    /// On how many days the deadline has been missed by `today`, counting today: 0 while it
    /// is ahead, 1 on the deadline date itself (a deadline D means "before 00:00 of D"). The
    /// report, the journal's messages and the chat summaries all count this way.
    public func daysOverdue(on today: CivilDate) -> Int {
        Self.daysOverdue(daysLeft: today.days(until: deadline))
    }

    /// The same count from a notice's days left (0 on the deadline date, negative after it).
    public static func daysOverdue(daysLeft: Int) -> Int { max(0, 1 - daysLeft) }

    /// Whether the policy covers an account of `platform` in `country`.
    public func covers(platform: String, country: CountryCode) -> Bool {
        self.platform == platform && coverage.contains(country)
    }
}

/// The policies known to a configuration: the shipped ones and the configured ones.
public struct Catalog: Sendable {
    public let policies: [Policy]
    private let indexByID: [String: Int]
    private let policiesByPlatform: [String: [Int]]
    private let coverageByPlatform: [String: CoverageTable]
    /// The platforms that have at least one policy.
    public let platforms: Set<String>

    /// What a message about the unknown platform `name` adds: the right spelling of a name
    /// written in the wrong case (`LinkedIn`), else the platforms there are, sorted.
    public func hint(forUnknownPlatform name: String) -> String {
        if platforms.contains(name.lowercased()) { return "did you mean '\(name.lowercased())'?" }
        return platforms.isEmpty
            ? "the catalog has no policies" : "the catalog knows: " + platforms.sorted().joined(separator: ", ")
    }

    /// Policy ids must be unique; the loader reports duplicates before building a catalog.
    public init(_ policies: [Policy]) {
        self.policies = policies
        self.indexByID = Dictionary(policies.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.policiesByPlatform = Dictionary(grouping: policies.indices, by: { policies[$0].platform })
        self.platforms = Set(policiesByPlatform.keys)
        self.coverageByPlatform = policiesByPlatform.mapValues { indices in
            CoverageTable(
                byCountry: (0..<CountryCode.indexCount).map { country in
                    indices.filter { policies[$0].coverage.contains(CountryCode(index: country)) }
                })
        }
    }

    public subscript(id: String) -> Policy? {
        indexByID[id].map { policies[$0] }
    }

    /// Indices into `policies` of the platform's policies, in catalog order.
    public func policyIndices(platform: String) -> [Int] {
        policiesByPlatform[platform] ?? []
    }

    /// The policies that apply to `account`, in catalog order.
    public func policies(of account: Account) -> [Policy] {
        coverage(platform: account.platform)[account.region].map { policies[$0] }
    }

    /// The platform's policies by the country they cover.
    func coverage(platform: String) -> CoverageTable {
        coverageByPlatform[platform] ?? .noPolicies
    }

    /// Whether any policy of `platform` asks for the action `id`.
    public func hasAction(_ id: String, platform: String) -> Bool {
        policyIndices(platform: platform).contains { policies[$0].actions.contains { $0.id == id } }
    }

    /// The action `id` of `platform`, as the first policy that asks for it describes it.
    public func action(_ id: String, platform: String) -> PolicyAction? {
        for index in policyIndices(platform: platform) {
            if let action = policies[index].actions.first(where: { $0.id == id }) { return action }
        }
        return nil
    }
}
