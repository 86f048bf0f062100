import Foundation
import GRDB
import OptOutCore

extension StateStore {
    /// Records that the actions of `requests` were done (or, with `undo`, are pending again),
    /// one row each, in one transaction, then wakes a running daemon. The one way
    /// acknowledgements are written: by `optoutd ack` and by the confirmation page alike.
    ///
    /// An action is recorded only where that changes what stands, checked in the same
    /// transaction: a second "done" (a double click, a retried request, two people at once)
    /// would replace when and by whom it was done, and an undo of what is not recorded as
    /// done would correct nothing.
    ///
    /// - Parameters:
    ///   - source: `cli:USER` or `link`.
    ///   - catalog: the policies, which say what platform an older record is about.
    /// - Returns: the requests narrowed to the actions recorded, and whether a running
    ///   daemon was told (when nothing was recorded, there was nothing to tell; when the
    ///   trigger file cannot be written, the daemon acts at its next wake-up).
    @discardableResult
    public func acknowledge(
        _ requests: [AcknowledgementRequest], note: String?, source: String, undo: Bool = false, at now: Instant,
        catalog: Catalog
    ) throws -> (recorded: [AcknowledgementRequest], toldDaemon: Bool) {
        let recorded = try write { db in
            var recorded: [AcknowledgementRequest] = []
            for request in requests {
                var written = Set<String>()
                for action in request.actions {
                    let records = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT \(Self.acknowledgementColumns) FROM acknowledgement
                            WHERE account = ? AND action = ? ORDER BY id
                            """,
                        arguments: [request.account.id, action]
                    ).map(Self.acknowledgement)
                    let standing = records.reduce(nil) { $1.standing(after: $0, of: request.account, catalog: catalog) }
                    guard (standing != nil) == undo else { continue }
                    try db.execute(
                        sql: """
                            INSERT INTO acknowledgement (account, policy, action, platform, at, note, source, undone)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            request.account.id, request.policy?.id ?? "", action, request.account.platform,
                            now.secondsSince1970, note, source, undo,
                        ])
                    written.insert(action)
                }
                if !written.isEmpty { recorded.append(request.filter(written.contains)) }
            }
            return recorded
        }
        guard !recorded.isEmpty else { return ([], true) }
        // A running daemon watches for this file being written.
        let trigger = path + ".ack"
        guard FileManager.default.createFile(atPath: trigger, contents: Data("\(now.secondsSince1970)\n".utf8)) else {
            return (recorded, false)
        }
        StateOwner.handOver(trigger)
        return (recorded, true)
    }

    /// Acknowledgements recorded after the one with id `after` (0: all), oldest first.
    public func acknowledgements(after id: Int64 = 0) throws -> [Acknowledgement] {
        if isBlank { return [] }
        return try reader.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.acknowledgementColumns) FROM acknowledgement WHERE id > ? ORDER BY id
                    """,
                arguments: [id]
            ).map(Self.acknowledgement)
        }
    }

    /// The latest record of each action of each account that stands: what is done now,
    /// with when, how and why. Only records about the account as `configuration` has it
    /// count (see `Acknowledgement.isAbout`).
    public func standingAcknowledgements(in configuration: OptOutCore.Configuration) throws -> [String: [String:
        Acknowledgement]]
    {
        Self.standing(try acknowledgements(), of: configuration.account(id:), catalog: configuration.catalog)
    }

    /// The same for some accounts only (a confirmation page's), read without the others.
    public func standingAcknowledgements(
        of accounts: [Account], catalog: Catalog
    ) throws -> [String: [String: Acknowledgement]] {
        if isBlank || accounts.isEmpty { return [:] }
        let byID = Dictionary(accounts.map { ($0.id, $0) }) { first, _ in first }
        let ids = Array(byID.keys)
        var records: [Acknowledgement] = []
        // SQLite takes a bounded number of parameters per statement.
        for part in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            records += try reader.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.acknowledgementColumns) FROM acknowledgement WHERE account IN (\(part.map { _ in "?" }.joined(separator: ", "))) ORDER BY id
                        """,
                    arguments: StatementArguments(Array(part))
                ).map(Self.acknowledgement)
            }
        }
        return Self.standing(records.sorted { $0.id < $1.id }, of: { byID[$0] }, catalog: catalog)
    }

    /// What stands after `records`, oldest first: for each action, its latest record about
    /// the account as `account(id)` has it, unless that undid it (see
    /// `Acknowledgement.standing`).
    private static func standing(
        _ records: [Acknowledgement], of account: (String) -> Account?, catalog: Catalog
    ) -> [String: [String: Acknowledgement]] {
        var result: [String: [String: Acknowledgement]] = [:]
        for record in records {
            let before = result[record.account]?[record.action]
            result[record.account, default: [:]][record.action] = record.standing(
                after: before, of: account(record.account), catalog: catalog)
        }
        return result
    }

    private static let acknowledgementColumns = "id, account, policy, action, platform, at, note, source, undone"

    private static func acknowledgement(_ row: Row) -> Acknowledgement {
        Acknowledgement(
            id: row[0], account: row[1], policy: row[2], action: row[3], platform: row[4],
            at: Instant(secondsSince1970: row[5]), note: row[6], source: row[7], undone: row[8])
    }

    /// The actions recorded as done, per account (what `Scheduler` takes as `acknowledged`).
    public func acknowledgedActions(in configuration: OptOutCore.Configuration) throws -> [String: Set<String>] {
        try standingAcknowledgements(in: configuration).mapValues { Set($0.keys) }.filter { !$0.value.isEmpty }
    }
}
