import OptOutCore

/// An account's fields as written, YAML or CSV alike, before validation.
struct RawAccount {
    var location: SourceLocation
    var id: Located<String>?
    var platform: Located<String>?
    var region: Located<String>?
    var name: Located<String>?
    var email: Located<String>?
    var timezone: Located<String>?
    var done: [Located<String>] = []
}

extension RawAccount {
    init(yaml fields: YAMLFields, reader: YAMLReader) {
        func text(_ key: String) -> Located<String>? {
            fields[key].flatMap { node in
                node.scalar.map { Located(value: $0.string, location: reader.location(node)) }
                    ?? {
                        reader.error("\(key) must be a string", at: node); return nil
                    }()
            }
        }
        self.init(
            location: fields.location, id: text("id"), platform: text("platform"), region: text("region"),
            name: text("name"), email: text("email"), timezone: text("timezone"),
            done: fields["done"].flatMap { reader.strings($0, "done") } ?? [])
    }
}

/// Validates raw accounts against the catalog and the defaults.
struct AccountBuilder {
    let catalog: Catalog
    let defaultPlatform: String?
    let defaultZone: Zone
    let log: DiagnosticLog

    func account(_ raw: RawAccount) -> Located<Account>? {
        var valid = true
        func check(_ ok: Bool, _ message: @autoclosure () -> String, at location: SourceLocation) {
            if !ok {
                log.error(message(), at: location)
                valid = false
            }
        }
        func requireSingleLine(_ field: Located<String>?, _ what: String) {
            if let field, !log.requireSingleLine(field, what) { valid = false }
        }
        requireSingleLine(raw.id, "the account id")
        requireSingleLine(raw.name, "the name")
        requireSingleLine(raw.email, "the e-mail address")
        requireSingleLine(raw.platform, "the platform")
        requireSingleLine(raw.region, "the region")
        requireSingleLine(raw.timezone, "the time zone")
        for mark in raw.done where !log.requireSingleLine(mark, "a done entry") { valid = false }
        guard valid else { return nil }

        guard let id = raw.id, !id.value.isEmpty else {
            log.error("the account needs an id", at: raw.location)
            return nil
        }
        check(
            Account.isValidID(id.value),
            "account id '\(id.value)' may hold only letters, digits, '.', '_', '-' and '@'", at: id.location)

        let platformText = raw.platform?.value.isEmpty == false ? raw.platform : nil
        let platform = platformText?.value ?? defaultPlatform
        if let platformText {
            check(
                catalog.platforms.contains(platformText.value),
                "unknown platform '\(platformText.value)'; the catalog knows: \(catalog.platforms.sorted().joined(separator: ", "))",
                at: platformText.location)
        } else {
            check(
                defaultPlatform != nil, "account '\(id.value)' needs a platform (or set defaults.platform)",
                at: id.location)
        }

        var country: CountryCode?
        if let region = raw.region, !region.value.isEmpty {
            switch resolveRegion(region, log: log) {
            case .country(let code, _): country = code
            case .group(let name, _):
                check(false, "an account's region must be one country, not the group '\(name)'", at: region.location)
            case nil: valid = false
            }
        } else {
            check(false, "account '\(id.value)' needs a region", at: raw.region?.location ?? id.location)
        }

        var zone = defaultZone
        if let timezone = raw.timezone, !timezone.value.isEmpty {
            if let named = Zone(identifier: timezone.value) {
                zone = named
            } else {
                check(
                    false, "unknown time zone '\(timezone.value)'; expected an IANA name such as Europe/Berlin",
                    at: timezone.location)
            }
        }

        let name = raw.name?.value.isEmpty == false ? raw.name : nil
        let email = raw.email?.value.isEmpty == false ? raw.email : nil
        if let email {
            check(isAddress(email.value), "'\(email.value)' is not a mail address", at: email.location)
        }

        var done: [DoneMark] = []
        if let platform {
            for text in raw.done {
                let mark = DoneMark(parsing: text.value, catalog: catalog)
                if let problem = problem(with: mark, platform: platform) {
                    check(false, "done entry '\(text.value)': \(problem)", at: text.location)
                } else {
                    done.append(mark)
                }
            }
        }
        guard valid, let platform, let country else { return nil }
        let account = Account(
            id: id.value, platform: platform, region: country, name: name?.value, email: email?.value, zone: zone,
            done: done)
        return Located(value: account, location: raw.location)
    }

    private func problem(with mark: DoneMark, platform: String) -> String? {
        switch mark {
        case .action(let action):
            return catalog.hasAction(action, platform: platform)
                ? nil : "no policy or action of platform '\(platform)' has this id"
        case .policy(let id):
            return catalog[id]?.platform == platform ? nil : "policy '\(id)' is not a \(platform) policy"
        case .policyAction(let policyID, let action):
            guard let policy = catalog[policyID] else { return "unknown policy '\(policyID)'" }
            guard policy.platform == platform else { return "policy '\(policyID)' is not a \(platform) policy" }
            return policy.actions.contains { $0.id == action } ? nil : "policy '\(policyID)' has no action '\(action)'"
        }
    }
}

/// Reads an accounts CSV file: a header row naming the columns, in any order.
struct CSVInventory {
    /// The columns a file may have, in the order error messages name them.
    enum Column: Int, CaseIterable {
        case id, platform, region, email, name, timezone, done
    }
    static let columns = Column.allCases.map { "\($0)" }
    let path: String
    let log: DiagnosticLog

    func accounts(_ text: String, builder: AccountBuilder) -> [Located<Account>] {
        var header: [Located<String>]?
        // Where each `Column` is in the file, by its raw value.
        var columnOf: [Int?] = []
        var accounts: [Located<Account>] = []
        CSVReader(path: path, log: log).forEachRecord(text) { record in
            guard let header else {
                header = record
                let named = columns(of: record)
                columnOf = Self.columns.map { named[$0] }
                return
            }
            guard columnOf[Column.id.rawValue] != nil, columnOf[Column.region.rawValue] != nil else { return }
            guard record.count == header.count else {
                log.error("this row has \(record.count) fields; the header has \(header.count)", at: record[0].location)
                return
            }
            func cell(_ column: Column) -> Located<String>? { columnOf[column.rawValue].map { record[$0] } }
            var done: [Located<String>] = []
            if let cell = cell(.done), !cell.value.isEmpty {
                done = cell.value.split(separator: ";").map {
                    Located(value: $0.trimmingBlanks(), location: cell.location)
                }
                .filter { !$0.value.isEmpty }
            }
            let raw = RawAccount(
                location: record[0].location, id: cell(.id), platform: cell(.platform), region: cell(.region),
                name: cell(.name), email: cell(.email), timezone: cell(.timezone), done: done)
            if let account = builder.account(raw) { accounts.append(account) }
        }
        if header == nil {
            log.error(
                "the file has no header row; expected columns: \(Self.columns.joined(separator: ","))",
                at: SourceLocation(path: path, line: 1, column: 1))
        }
        return accounts
    }

    /// The index of each known column in the header row; unknown, repeated and missing columns are errors.
    private func columns(of header: [Located<String>]) -> [String: Int] {
        var columnOf: [String: Int] = [:]
        for (index, cell) in header.enumerated() {
            let name = cell.value.trimmingCharacters(in: .whitespaces)
            if !Self.columns.contains(name) {
                log.error(
                    "unknown column '\(name)'; expected: \(Self.columns.joined(separator: ", "))", at: cell.location)
            } else if columnOf[name] != nil {
                log.error("column '\(name)' appears twice", at: cell.location)
            } else {
                columnOf[name] = index
            }
        }
        for required in ["id", "region"] where columnOf[required] == nil {
            log.error("the header needs a '\(required)' column", at: header[0].location)
        }
        return columnOf
    }
}

extension Substring {
    /// Without the spaces and tabs around it.
    func trimmingBlanks() -> String {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isBlank(utf8[start]) { utf8.formIndex(after: &start) }
        while end > start, isBlank(utf8[utf8.index(before: end)]) { utf8.formIndex(before: &end) }
        return String(self[start..<end])
    }
}
