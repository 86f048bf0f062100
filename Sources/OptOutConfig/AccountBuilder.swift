import OptOutCore
import OptOutRender

/// An account's fields as written, YAML or CSV alike, before validation.
struct RawAccount {
    var location: SourceLocation
    var id: Located<String>?
    var platform: Located<String>?
    var region: Located<String>?
    var name: Located<String>?
    var email: Located<String>?
    var timezone: Located<String>?
    var language: Located<String>? = nil
    var manager: Located<String>? = nil
    var done: [Located<String>] = []
    /// Every field is known to be printable ASCII (its reader checked the text it comes
    /// from), so no field needs looking at for control characters.
    var isPrintableASCII = false
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
            name: text("name"), email: text("email"), timezone: text("timezone"), language: text("language"),
            manager: text("manager"), done: fields["done"].flatMap { reader.strings($0, "done") } ?? [])
    }
}

/// Validates raw accounts against the catalog and the defaults.
struct AccountBuilder {
    let catalog: Catalog
    let defaultPlatform: String?
    /// `defaults.platform` is given but names no platform of the catalog.
    let defaultPlatformIsInvalid: Bool
    let defaultZone: Zone
    let log: DiagnosticLog
    /// Of this builder alone: a copy for another thread or log gets one of its own.
    private let zoneNames = ZoneNameMemo()

    init(
        catalog: Catalog, defaultPlatform: String?, defaultPlatformIsInvalid: Bool = false, defaultZone: Zone,
        log: DiagnosticLog
    ) {
        self.catalog = catalog
        self.defaultPlatform = defaultPlatform
        self.defaultPlatformIsInvalid = defaultPlatformIsInvalid
        self.defaultZone = defaultZone
        self.log = log
    }

    /// The same builder, reporting to `log`.
    func reporting(to log: DiagnosticLog) -> AccountBuilder {
        AccountBuilder(
            catalog: catalog, defaultPlatform: defaultPlatform, defaultPlatformIsInvalid: defaultPlatformIsInvalid,
            defaultZone: defaultZone, log: log)
    }

    func account(_ raw: consuming RawAccount) -> Located<Account>? {
        var valid = true
        func check(_ ok: Bool, _ message: @autoclosure () -> String, at location: SourceLocation) {
            if !ok {
                log.error(message(), at: location)
                valid = false
            }
        }
        // A field that breaks the single-line rules is reported and then left out of the
        // checks below, which would only repeat it; every other field is still checked, so
        // that one run names every mistake of the account.
        let isPrintableASCII = raw.isPrintableASCII
        func isSingleLine(_ field: Located<String>, _ what: String, maximumLength: Int = ConfigurationLimits.idLength)
            -> Bool
        {
            let ok = log.requireSingleLine(
                field, what, maximumLength: maximumLength, isPrintableASCII: isPrintableASCII)
            if !ok { valid = false }
            return ok
        }
        func keepSingleLine(
            _ field: inout Located<String>?, _ what: String, maximumLength: Int = ConfigurationLimits.idLength
        ) -> Bool {
            guard let text = field, !isSingleLine(text, what, maximumLength: maximumLength) else { return true }
            field = nil
            return false
        }
        let givenID = raw.id
        let idIsText = keepSingleLine(&raw.id, "the account id")
        _ = keepSingleLine(&raw.name, "the name", maximumLength: ConfigurationLimits.nameLength)
        _ = keepSingleLine(&raw.email, "the e-mail address", maximumLength: ConfigurationLimits.nameLength)
        _ = keepSingleLine(&raw.manager, "the manager's address", maximumLength: ConfigurationLimits.nameLength)
        let platformIsText = keepSingleLine(&raw.platform, "the platform")
        let regionIsText = keepSingleLine(&raw.region, "the region")
        _ = keepSingleLine(&raw.timezone, "the time zone")
        var brokenDoneEntries: Set<Int> = []
        for (index, mark) in raw.done.enumerated()
        where !isSingleLine(mark, "a done entry", maximumLength: 2 * ConfigurationLimits.idLength + 1) {
            brokenDoneEntries.insert(index)
        }

        guard let id = givenID, !id.value.isEmpty else {
            log.error("the account needs an id", at: raw.location)
            return nil
        }
        if idIsText {
            check(
                Account.isValidID(id.value),
                "account id \(TerminalText.quoted(id.value)) may hold only ASCII letters and digits, '.', '_', '-' and '@'",
                at: id.location)
            // An id that starts like an option would be read as one by any command given it.
            check(
                startsWithLetterOrDigit(id.value),
                "account id \(TerminalText.quoted(id.value)) must start with a letter or a digit",
                at: id.location)
        }

        let platformText = raw.platform?.value.isEmpty == false ? raw.platform : nil
        // Unknown when the platform given was not text: done entries then cannot be checked.
        let platform = platformIsText ? platformText?.value ?? defaultPlatform : nil
        if let platformText {
            // Most rows name the default platform: a comparison spares hashing the name.
            check(
                platformText.value == defaultPlatform || catalog.platforms.contains(platformText.value),
                "unknown platform \(TerminalText.quoted(platformText.value)); \(catalog.hint(forUnknownPlatform: platformText.value))",
                at: platformText.location)
        } else if platformIsText {
            // A default that is there but wrong is reported once, where it is written.
            check(
                defaultPlatform != nil || defaultPlatformIsInvalid,
                "account \(TerminalText.quoted(id.value)) needs a platform (or set defaults.platform)",
                at: id.location)
        }

        var country: CountryCode?
        if let region = raw.region, !region.value.isEmpty {
            switch resolveRegion(region, ofAccount: true, log: log) {
            case .country(let code, _): country = code
            case .group(let name, _):
                check(false, "an account's region must be one country, not the group '\(name)'", at: region.location)
            case nil: valid = false
            }
        } else if regionIsText {
            check(
                false, "account \(TerminalText.quoted(id.value)) needs a region",
                at: raw.region?.location ?? id.location)
        }

        var zone = defaultZone
        if let timezone = raw.timezone, !timezone.value.isEmpty {
            if let named = zoneNames.resolve(timezone, log: log) { zone = named } else { valid = false }
        }

        let name = raw.name?.value.isEmpty == false ? raw.name : nil
        let email = raw.email?.value.isEmpty == false ? raw.email : nil
        if let email {
            if let problem = addressProblem(email.value) {
                check(false, "\(TerminalText.quoted(email.value)) \(problem)", at: email.location)
            }
        }

        let manager = raw.manager?.value.isEmpty == false ? raw.manager : nil
        if let manager, let problem = addressProblem(manager.value) {
            check(false, "manager \(TerminalText.quoted(manager.value)) \(problem)", at: manager.location)
        }

        var language: String?
        if let text = raw.language, !text.value.isEmpty {
            language = MessageLanguage(rawValue: text.value)?.rawValue
            check(
                language != nil,
                "unknown language \(TerminalText.quoted(text.value)); optoutd ships templates for \(MessageLanguage.codes)",
                at: text.location)
        }

        var done: [DoneMark] = []
        if let platform {
            for (index, text) in raw.done.enumerated() where !brokenDoneEntries.contains(index) {
                let mark = DoneMark(parsing: text.value, catalog: catalog)
                if let problem = problem(with: mark, platform: platform) {
                    check(false, "done entry \(TerminalText.quoted(text.value)): \(problem)", at: text.location)
                } else {
                    done.append(mark)
                }
            }
        }
        guard valid, let platform, let country else {
            if idIsText, Account.isValidID(id.value) { log.reject(id) }
            return nil
        }
        let account = Account(
            id: id.value, platform: platform, region: country, name: name?.value, email: email?.value, zone: zone,
            done: done, language: language, manager: manager?.value)
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
