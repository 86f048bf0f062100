import Foundation
import OptOutCore

#if canImport(Glibc)
    import Glibc
#endif

/// What a load produced: a configuration when there were no errors, and every diagnostic.
public struct LoadedConfiguration: Sendable {
    public var configuration: Configuration?
    /// Past a file's limit, its further errors are summed up in one last diagnostic.
    public var diagnostics: [Diagnostic]
    /// Every error found, those summed up included.
    public var errorCount: Int
    /// The files that were read (config, catalog includes, inventories), for display.
    public var files: [String]
}

/// Reads a configuration file with the catalog files and account inventories it names.
///
/// Every error of every file is reported, each with its place. Nothing else is touched.
public struct ConfigurationLoader: Sendable {
    /// Used to warn about configured policies whose deadline is long past; `nil` skips the check.
    public var now: Instant?
    /// How many cores take accounts out of their runs at most, each at least `smallestPart`.
    var processors = ProcessInfo.processInfo.activeProcessorCount
    var smallestPart = 32_768

    public init(now: Instant? = nil) {
        self.now = now
    }

    static let rootKeys = [
        "version", "timezone", "reminders", "catalog", "policies", "defaults", "channels", "messages", "web",
        "accounts", "accounts_files",
    ]
    static let accountKeys = ["id", "platform", "region", "name", "email", "timezone", "language", "manager", "done"]
    /// Policy files read beside the configuration, relative to its directory.
    /// Policies that correct or add to the catalog, each `*.yaml` file of it read.
    static let overridesFolder = "policies.d"

    public func load(path: String) -> LoadedConfiguration {
        let log = DiagnosticLog()
        var files = [path]
        let configuration = load(path: path, log: log, files: &files)
        return LoadedConfiguration(
            configuration: log.hasErrors ? nil : configuration, diagnostics: log.diagnostics,
            errorCount: log.errorCount, files: files)
    }

    private func load(path: String, log: DiagnosticLog, files: inout [String]) -> Configuration? {
        let yaml = YAMLReader(path: path, log: log)
        guard let text = readUTF8File(path, log: log), let root = yaml.compose(text) else { return nil }
        guard let fields = yaml.fields(root, "the configuration", allowed: Self.rootKeys, required: ["version"]) else {
            return nil
        }
        if let version = fields["version"], version.scalar?.string != "1" {
            yaml.error("unsupported version; this optoutd reads version 1", at: version)
        }
        let defaultZone =
            fields["timezone"].map { zone($0, yaml) ?? .utc }
            ?? SystemZone.zone(log: log, at: SourceLocation(path: path, line: 1, column: 1))
        let reminders = fields["reminders"].flatMap { ReminderReader(yaml: yaml).reminders($0) } ?? ReminderSettings()

        // The catalog: shipped, included files and policies.d, inline.
        var shipped: [Located<Policy>] = []
        var configured: [PolicyEntry] = []
        var includes: [Located<String>] = []
        if let node = fields["catalog"],
            let catalogFields = yaml.fields(node, "catalog", allowed: ["builtin", "include"])
        {
            if catalogFields["builtin"].flatMap({ yaml.bool($0, "builtin") }) ?? true {
                shipped = BuiltinCatalog.policies(log: log)
            }
            includes = catalogFields["include"].flatMap { yaml.strings($0, "include") } ?? []
        } else {
            shipped = BuiltinCatalog.policies(log: log)
        }
        let directory = (path as NSString).deletingLastPathComponent
        // policies.d is read without being named. A file matched twice (by `include` and
        // policies.d, or by two spellings or links) is read once.
        let overrides = (directory as NSString).appendingPathComponent(Self.overridesFolder)
        let overrideFiles = (configurationFolderEntries(overrides, log: log) ?? []).filter { $0.hasSuffix(".yaml") }
            .map { (overrides as NSString).appendingPathComponent($0) }
        var read = Set(files.map(Self.identity(of:)))
        for file in includes.flatMap({ expand($0, relativeTo: directory, log: log) }) + overrideFiles
        where read.insert(Self.identity(of: file)).inserted {
            files.append(file)
            let reader = YAMLReader(path: file, log: log)
            if let text = readUTF8File(file, log: log), let node = reader.compose(text) {
                configured += checked(PolicyReader(yaml: reader).policies(inFile: node), log: log)
            }
        }
        if let node = fields["policies"], let items = yaml.sequence(node, "policies") {
            configured += checked(items.compactMap { PolicyReader(yaml: yaml).policy($0) }, log: log)
        }
        let policies = PolicyOverrides.apply(configured, to: shipped, log: log)
        let catalog = Catalog(unique([policies], "policy", log: log).values)
        // `ack ACCOUNT ID` takes an id as a policy when one has it, else as an action: the
        // two must never share an id within a platform.
        for policy in policies where catalog.hasAction(policy.value.id, platform: policy.value.platform) {
            log.error(
                "policy id '\(policy.value.id)' is also the id of an action of platform '\(policy.value.platform)'; give one of them another id",
                at: policy.location)
        }

        var defaultPlatform: String?
        var defaultPlatformIsInvalid = false
        if let node = fields["defaults"], let defaults = yaml.fields(node, "defaults", allowed: ["platform"]),
            let node = defaults["platform"]
        {
            let text = yaml.string(node, "the default platform")?.value
            if let text, catalog.platforms.contains(text) {
                defaultPlatform = text
            } else {
                if let text {
                    yaml.error(
                        "unknown default platform \(TerminalText.quoted(text)); \(catalog.hint(forUnknownPlatform: text))",
                        at: node)
                }
                defaultPlatformIsInvalid = true
            }
        }
        let channels = fields["channels"].map { ChannelReader(yaml: yaml).channels($0) } ?? ChannelSettings()
        let messages = MessageReader(yaml: yaml).messages(fields["messages"], directory: directory)
        let web = fields["web"].flatMap { WebReader(yaml: yaml).web($0) }

        // Accounts, inline and from inventories.
        let builder = AccountBuilder(
            catalog: catalog, defaultPlatform: defaultPlatform, defaultPlatformIsInvalid: defaultPlatformIsInvalid,
            defaultZone: defaultZone, log: log)
        // In runs: the inline accounts, then each file's.
        var accounts: [[Located<Account>]] = []
        if let node = fields["accounts"], let items = yaml.sequence(node, "accounts") {
            accounts.append(
                items.compactMap { item in
                    yaml.fields(item, "an account", allowed: Self.accountKeys).flatMap {
                        account in
                        builder.account(RawAccount(yaml: account, reader: yaml))
                    }
                })
        }
        // Each file by the one it is, whatever its spelling or links: a file listed twice
        // would make every account in it a duplicate of itself.
        var inventories: [String: SourceLocation] = [:]
        for name in fields["accounts_files"].flatMap({ yaml.strings($0, "accounts_files") }) ?? [] {
            let file =
                name.value.hasPrefix("/") ? name.value : (directory as NSString).appendingPathComponent(name.value)
            let identity = Self.identity(of: file)
            if let first = inventories[identity] {
                log.warning(
                    "\(TerminalText.quoted(name.value)) is the inventory already listed at line \(first.line), column \(first.column); it is read once",
                    at: name.location)
                continue
            }
            inventories[identity] = name.location
            files.append(file)
            guard let text = readUTF8File(file, log: log, referencedAt: name.location) else { continue }
            accounts += CSVInventory(path: file, log: log).accounts(text, builder: builder)
        }
        let (uniqueAccounts, accountIndex) = unique(accounts, "account", rejected: log.rejectedIDs, log: log)
        return Configuration(
            defaultZone: defaultZone, reminders: reminders, catalog: catalog, channels: channels, messages: messages,
            web: web, accounts: uniqueAccounts, accountsByID: accountIndex)
    }

    /// Drops later entries whose id repeats an earlier one, reporting each. Returns the
    /// entries left, in order, and their index by id.
    ///
    /// - Parameter runs: the entries in runs (such as one per piece of a file), read one
    ///   after the other. A large inventory's entries are taken out of their runs and their
    ///   ids hashed on every core, so that indexing them touches nothing but the index.
    private func unique<Value: Identified>(
        _ runs: [[Located<Value>]], _ what: String, rejected: [Located<String>] = [], log: DiagnosticLog
    ) -> (values: [Value], index: IDIndex) {
        // Where each run starts in the whole.
        let starts = runs.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let count = starts.last!
        @Sendable func place(of index: Int) -> (run: Int, offset: Int) {
            let run = starts.lastIndex { $0 <= index }!
            return (run, index - starts[run])
        }
        var ids = [String](repeating: "", count: count)
        var hashes = [Int](repeating: 0, count: count)
        let parts = max(1, min(processors, count / smallestPart))
        let values = [Value](unsafeUninitializedCapacity: count) { values, initialized in
            ids.withUnsafeMutableBufferPointer { ids in
                hashes.withUnsafeMutableBufferPointer { hashes in
                    // Each part writes its own range of the three buffers, and nothing else.
                    nonisolated(unsafe) let (values, ids, hashes) = (values, ids, hashes)
                    _ = concurrentMap(Array(0..<parts), threads: processors) { part in
                        let range = (count * part / parts)..<(count * (part + 1) / parts)
                        guard !range.isEmpty else { return }
                        var (run, offset) = place(of: range.lowerBound)
                        for index in range {
                            while offset == runs[run].count { (run, offset) = (run + 1, 0) }
                            let value = runs[run][offset].value
                            (values.baseAddress! + index).initialize(to: value)
                            ids[index] = value.id
                            hashes[index] = ids[index].hashValue
                            offset += 1
                        }
                    }
                }
            }
            initialized = count
        }
        let index = IDIndex(ids, hashes: hashes)
        func location(_ index: Int) -> SourceLocation {
            let (run, offset) = place(of: index)
            return runs[run][offset].location
        }
        for (repeated, first) in index.repeats {
            log.error(
                "duplicate \(what) id '\(ids[repeated])' (first defined at \(location(first)))",
                at: location(repeated))
        }
        // A definition left out for its errors still takes its id: the other definitions
        // are named now, or they would only show once the first is mended.
        var firstRejected: [String: SourceLocation] = [:]
        for id in rejected {
            if let other = index.index(of: id.value).map(location) ?? firstRejected[id.value] {
                log.error("\(what) id '\(id.value)' is also defined at \(other)", at: id.location)
            } else {
                firstRejected[id.value] = id.location
            }
        }
        let (kept, keptIndex) = index.removingRepeats(from: values)
        return (kept, keptIndex)
    }

    /// Warns about configured policies whose dates look mistaken: a deadline before the
    /// policy takes effect, or one long past. (The shipped catalog is checked by its tests.)
    private func checked(_ entries: [PolicyEntry], log: DiagnosticLog) -> [PolicyEntry] {
        for policy in entries.map(\.policy) {
            let (id, deadline, effective) = (policy.value.id, policy.value.deadline, policy.value.effective)
            if deadline < effective {
                log.warning(
                    "policy '\(id)': the deadline (\(deadline)) is before the effective date (\(effective)); reminders count down to the deadline",
                    at: policy.location)
            }
            if let now, deadline.days(until: Zone.utc.localDate(of: now)) > 366 {
                log.warning(
                    "the deadline of policy '\(id)' (\(deadline)) passed more than a year ago", at: policy.location)
            }
        }
        return entries
    }

    private func zone(_ node: YAMLNode, _ yaml: YAMLReader) -> Zone? {
        yaml.string(node, "timezone").flatMap { ZoneName.resolve($0, log: yaml.log) }
    }

    /// The file a path names, whatever its spelling or links.
    private static func identity(of path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Expands a glob relative to the config's directory; a pattern with no wildcard must
    /// name a file, one with wildcards may match none (as a folder for files yet to come).
    private func expand(_ pattern: Located<String>, relativeTo directory: String, log: DiagnosticLog) -> [String] {
        let absolute =
            pattern.value.hasPrefix("/") ? pattern.value : (directory as NSString).appendingPathComponent(pattern.value)
        var matches = glob_t()
        defer { globfree(&matches) }
        // GLOB_ERR: a folder on the way that cannot be read stops the expansion, and is said.
        switch glob(absolute, GLOB_ERR, nil, &matches) {
        case 0: break
        case GLOB_NOMATCH:
            if !pattern.value.contains(where: { "*?[".contains($0) }) {
                log.error("no such file: \(absolute)", at: pattern.location)
            }
            return []
        default:
            log.error(
                "cannot read the folders of \(TerminalText.quoted(pattern.value)): \(String(cString: strerror(errno)))",
                at: pattern.location)
            return []
        }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }
    }
}

/// Things whose ids must be unique within a configuration.
protocol Identified: Sendable {
    var id: String { get }
}

extension Policy: Identified {}
extension Account: Identified {}

extension ConfigurationLoader {
    /// The shipped catalog alone.
    public static func builtinCatalog() throws -> Catalog {
        let log = DiagnosticLog()
        let policies = BuiltinCatalog.policies(log: log).map(\.value)
        guard !log.hasErrors else { throw ConfigurationError(diagnostics: log.diagnostics) }
        return Catalog(policies)
    }
}
