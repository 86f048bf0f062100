/// Every acknowledgement record as it was made, oldest first: who recorded which step as
/// done or took it back, when, how and why. What a report's rows stand on, for an auditor
/// to follow; records of accounts no longer configured are kept in it.
public struct AcknowledgementLog: Sendable {
    public struct Entry: Sendable {
        public let record: Acknowledgement
        /// `nil` when the account is no longer configured.
        public let account: Account?
    }

    /// In the order recorded.
    public let entries: [Entry]
    private let defaultZone: Zone

    /// - Parameters:
    ///   - records: every acknowledgement recorded, in the order recorded; those after `at` are left out.
    ///   - policy: keep the records of this policy's actions by accounts it applies to,
    ///     made on its platform, whichever policy they name: an action id is the
    ///     platform's switch, so a record made under another policy (or none) changes this
    ///     one too. Of an account no longer configured, whose region is unknown, the
    ///     records that name this policy or no policy. Of a policy no longer in the
    ///     catalog, the records that name it.
    ///   - region: keep the records of accounts of this region (which leaves out those of
    ///     accounts no longer configured).
    public init(
        configuration: Configuration, records: [Acknowledgement], at: Instant, policy: String? = nil,
        region: CountryCode? = nil
    ) {
        defaultZone = configuration.defaultZone
        let kept = policy.flatMap { configuration.catalog[$0] }
        let actions = kept.map { Set($0.actions.map(\.id)) }
        entries = records.filter { $0.at <= at }.compactMap { record in
            let account = configuration.account(id: record.account)
            if let region, account?.region != region { return nil }
            if let kept, let actions {
                // The platform the record is about; when that is unknown, the account's.
                let platform = record.platform(in: configuration.catalog) ?? account?.platform
                let applies =
                    (platform.map { $0 == kept.platform } ?? true)
                    && (account.map { kept.coverage.contains($0.region) }
                        ?? (record.policy == kept.id || record.policy.isEmpty))
                guard applies, actions.contains(record.action) else { return nil }
            } else if let policy, record.policy != policy {
                // A policy no longer in the catalog: the records that name it.
                return nil
            }
            return Entry(record: record, account: account)
        }
    }

    public static let csvColumns = [
        "at", "account", "platform", "region", "policy", "action", "change", "source", "note",
    ]

    /// The fields of an entry, in the order of `csvColumns`: the time in the account's zone
    /// (the configuration's when it is no longer configured), the region empty then; the
    /// platform the record was made on, empty in records from before the store kept it.
    private func fields(_ entry: Entry) -> [String] {
        let record = entry.record
        return [
            (entry.account?.zone ?? defaultZone).rfc3339(record.at), record.account, record.platform ?? "",
            entry.account?.region.description ?? "", record.policy, record.action, record.undone ? "undone" : "done",
            record.source, record.note ?? "",
        ]
    }

    /// As aligned columns; every field on one line, safe for a terminal.
    public var table: TextBuffer {
        var text = TextBuffer()
        text.append(
            Report.table(
                header: Self.csvColumns.map { $0.uppercased() },
                rows: entries.map { fields($0).map(TerminalText.oneLine) }))
        return text
    }

    /// As CSV, quoted and disarmed for spreadsheets as the report's rows are.
    public var csv: TextBuffer {
        var text = TextBuffer()
        text.append(Self.csvColumns.joined(separator: ",") + "\r\n")
        for entry in entries {
            for (index, field) in fields(entry).enumerated() {
                if index > 0 { text.append(byte: UInt8(ascii: ",")) }
                ComplianceReport.appendCSVField(field, to: &text)
            }
            text.append("\r\n")
        }
        return text
    }

    /// As one JSON array of objects with the CSV's fields by name; `platform`, `region`,
    /// `policy` and `note` are null when empty, and `id` is the record's number in the store.
    public var json: TextBuffer {
        var json = JSONWriter()
        json.beginArray()
        for entry in entries {
            let values = fields(entry)
            json.beginObject()
            json.key("id"); json.number(Int(entry.record.id))
            for (column, value) in zip(Self.csvColumns, values) {
                json.key(column)
                json.string(value.isEmpty && ["platform", "region", "policy", "note"].contains(column) ? nil : value)
            }
            json.endObject()
        }
        json.endArray()
        json.buffer.append(byte: UInt8(ascii: "\n"))
        return json.buffer
    }
}
