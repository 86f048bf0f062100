import OptOutCore

/// A policy as written, and whether it is meant to take the place of a shipped one.
struct PolicyEntry {
    var policy: Located<Policy>
    /// `replaces: true`: the policy replaces the shipped policy with its id.
    var replaces: Bool
}

/// Reads policy entries (catalog files and inline `policies:`) into `Policy` values.
struct PolicyReader {
    let yaml: YAMLReader
    var log: DiagnosticLog { yaml.log }

    static let keys = [
        "id", "platform", "title", "summary", "effective", "deadline", "regions", "except", "data_used",
        "data_not_used", "shared_with", "actions", "sources", "replaces",
    ]

    /// A catalog file holds one policy mapping or a list of them.
    func policies(inFile node: YAMLNode) -> [PolicyEntry] {
        let entries = node.sequence.map(Array.init) ?? [node]
        return entries.compactMap { policy($0) }
    }

    func policy(_ node: YAMLNode) -> PolicyEntry? {
        guard
            let fields = yaml.fields(
                node, "a policy", allowed: Self.keys,
                required: ["id", "platform", "title", "effective", "regions", "actions"])
        else { return nil }
        let id = fields["id"].flatMap { identifier($0, "the policy id") }
        let platform = fields["platform"].flatMap { identifier($0, "the platform") }
        let title = fields["title"].flatMap {
            yaml.string($0, "the policy title", maximumLength: ConfigurationLimits.nameLength)
        }
        let summary = fields["summary"].flatMap {
            yaml.string($0, "the policy summary", allowNewlines: true, maximumLength: ConfigurationLimits.textLength)
        }
        let effective = fields["effective"].flatMap { date($0, "the effective date") }
        let deadline = fields["deadline"].flatMap { date($0, "the deadline") }
        let regions = fields["regions"].flatMap { regionNames($0, "regions") }
        let except = fields["except"].map { regionNames($0, "except") } ?? ([], RegionSet())
        let actions = fields["actions"].flatMap { actionList($0) }
        let lists = ["data_used", "data_not_used", "shared_with"].map { key in
            fields[key].flatMap { yaml.strings($0, key) }?.map(\.value) ?? []
        }
        let sources = fields["sources"].flatMap { sourceList($0) } ?? []
        let replaces = fields["replaces"].flatMap { yaml.bool($0, "replaces") } ?? false
        guard let id, let platform, let title, let effective, let regions, let except, let actions else { return nil }
        let coverage = regions.1.subtracting(except.1)
        // Names that are all unknown cover nothing too, but each is already named as unknown.
        if regions.1.isEmpty, regions.0.isEmpty {
            log.error(
                "policy '\(id)' covers no country: 'regions' is empty; list countries, groups such as EU, or *",
                at: fields["regions"].map(yaml.location) ?? fields.location)
        } else if !regions.1.isEmpty, coverage.isEmpty {
            log.error("policy '\(id)' covers no country: every region is in 'except'", at: fields.location)
        }
        let policy = Policy(
            id: id, platform: platform, title: title.value, summary: summary?.value ?? "", effective: effective,
            deadline: deadline ?? effective, regions: regions.0, except: except.0, coverage: coverage,
            dataUsed: lists[0], dataNotUsed: lists[1], sharedWith: lists[2], actions: actions, sources: sources)
        return PolicyEntry(policy: Located(value: policy, location: fields.location), replaces: replaces)
    }

    private func actionList(_ node: YAMLNode) -> [PolicyAction]? {
        // No actions: a change to know about that offers nothing to opt out of.
        guard let items = yaml.sequence(node, "actions") else { return nil }
        var seen = Set<String>()
        var actions: [PolicyAction] = []
        for item in items {
            guard
                let fields = yaml.fields(
                    item, "an action", allowed: ["id", "title", "where", "url"], required: ["id", "title", "where"]),
                let id = fields["id"].flatMap({ identifier($0, "the action id") }),
                let title = fields["title"].flatMap({
                    yaml.string($0, "the action title", maximumLength: ConfigurationLimits.nameLength)
                }),
                let location = fields["where"].flatMap({ yaml.string($0, "where") })
            else { continue }
            let url = fields["url"].flatMap { link($0, "the action url") }
            guard seen.insert(id).inserted else {
                yaml.error("action '\(id)' is listed twice in this policy", at: item)
                continue
            }
            actions.append(PolicyAction(id: id, title: title.value, location: location.value, url: url?.value))
        }
        return actions
    }

    /// Each source a mapping: the page (`url`) or a publication's `title`, and the fact it `supports`.
    private func sourceList(_ node: YAMLNode) -> [PolicySource]? {
        guard let items = yaml.sequence(node, "sources") else { return nil }
        return items.compactMap { item in
            guard item.mapping != nil else {
                yaml.error(
                    "a source must be a mapping such as {url: https://…, supports: \"the fact it supports\"}", at: item)
                return nil
            }
            guard
                let fields = yaml.fields(
                    item, "a source", allowed: ["url", "title", "supports"], required: ["supports"]),
                let supports = fields["supports"].flatMap({ yaml.string($0, "supports") })
            else { return nil }
            guard fields["url"] != nil || fields["title"] != nil else {
                log.error(
                    "a source needs a 'url' (or, for a publication without a link, a 'title')", at: fields.location)
                return nil
            }
            let url = fields["url"].map { link($0, "the source url") }
            let title = fields["title"].map { yaml.string($0, "the source title") }
            // A url or title that was given but is bad has been reported.
            if case .some(nil) = url { return nil }
            if case .some(nil) = title { return nil }
            return PolicySource(url: url??.value, title: title??.value, supports: supports.value)
        }
    }

    /// An http or https address.
    private func link(_ node: YAMLNode, _ what: String) -> Located<String>? {
        guard let url = yaml.string(node, what) else { return nil }
        if let problem = URLAuthority.problem(in: url.value, schemes: ["https", "http"]) {
            log.error("\(what) \(TerminalText.quoted(url.value)) \(problem)", at: url.location)
            return nil
        }
        return url
    }

    private func regionNames(_ node: YAMLNode, _ what: String) -> ([String], RegionSet)? {
        guard let names = yaml.strings(node, what) else { return nil }
        var set = RegionSet()
        for name in names {
            if let region = resolveRegion(name, log: log) { set = set.union(region.countries) }
        }
        return (names.map(\.value), set)
    }

    private func date(_ node: YAMLNode, _ what: String) -> CivilDate? {
        let years = ConfigurationLimits.years
        return yaml.parsed(node, what, as: "a date (YYYY-MM-DD) from \(years.lowerBound) to \(years.upperBound)") {
            CivilDate(iso: $0).flatMap { years.contains($0.components.year) ? $0 : nil }
        }
    }

    /// An id of lower-case letters, digits, `.`, `_` and `-`.
    private func identifier(_ node: YAMLNode, _ what: String) -> String? {
        yaml.parsed(
            node, what,
            as:
                "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most \(ConfigurationLimits.idLength) long"
        ) { text in
            isIdentifier(text) ? text : nil
        }
    }
}

/// Whether `text` is a policy, action or platform id: lower-case letters, digits, `.`, `_`, `-`.
func isIdentifier(_ text: String) -> Bool {
    startsWithLetterOrDigit(text) && text.utf8.count <= ConfigurationLimits.idLength
        && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
}

/// Resolves a region name, reporting unknown names and warning about aliases.
///
/// - Parameter ofAccount: the region of an account, which is one country: an unknown name
///   is then told what an account takes, not the groups a policy may name.
func resolveRegion(_ name: Located<String>, ofAccount: Bool = false, log: DiagnosticLog) -> RegionName? {
    guard let region = RegionName(name.value) else {
        var expected =
            ofAccount
            ? "an account's region is an ISO 3166-1 alpha-2 country code, such as DE"
            : "expected an ISO 3166-1 alpha-2 code (such as DE), EU, EEA or *"
        // Codes are upper case; `de` is most likely DE, and saying so spares a look-up.
        switch RegionName(name.value.uppercased()) {
        case .country(let code, _)?: expected = "did you mean '\(code)'?"
        case .group(let group, _)? where !ofAccount: expected = "did you mean '\(group)'?"
        default: break
        }
        log.error("unknown region \(TerminalText.quoted(name.value)); \(expected)", at: name.location)
        return nil
    }
    if case .country(let code, let alias?) = region {
        log.warning(
            "'\(alias)' is not an ISO 3166-1 code; it is read as '\(code)', write that instead", at: name.location)
    }
    return region
}
