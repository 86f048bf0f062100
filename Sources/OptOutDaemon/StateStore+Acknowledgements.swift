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
    /// - Parameter source: `cli:USER` or `link`.
    /// - Returns: the requests narrowed to the actions recorded, and whether a running
    ///   daemon was told (when nothing was recorded, there was nothing to tell; when the
    ///   trigger file cannot be written, the daemon acts at its next wake-up).
    @discardableResult
    public func acknowledge(
        _ requests: [AcknowledgementRequest], note: String?, source: String, undo: Bool = false, at now: Instant
    ) throws -> (recorded: [AcknowledgementRequest], toldDaemon: Bool) {
        let recorded = try write { db in
            var recorded: [AcknowledgementRequest] = []
            for request in requests {
                var written = Set<String>()
                for action in request.actions {
                    let latest = try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT undone FROM acknowledgement WHERE account = ? AND action = ?
                            ORDER BY id DESC LIMIT 1
                            """,
                        arguments: [request.account.id, action])
                    let stands = latest == false
                    guard stands == undo else { continue }
                    try db.execute(
                        sql: """
                            INSERT INTO acknowledgement (account, policy, action, at, note, source, undone)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            request.account.id, request.policy?.id ?? "", action, now.secondsSince1970, note, source,
                            undo,
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
                    SELECT id, account, policy, action, at, note, source, undone FROM acknowledgement
                    WHERE id > ? ORDER BY id
                    """,
                arguments: [id]
            ).map(Self.acknowledgement)
        }
    }

    /// The latest record of each action of each account that stands: what is done now,
    /// with when, how and why.
    public func standingAcknowledgements() throws -> [String: [String: Acknowledgement]] {
        Self.standing(try acknowledgements())
    }

    /// The same for some accounts only (a confirmation page's), read without the others.
    public func standingAcknowledgements(of accounts: [String]) throws -> [String: [String: Acknowledgement]] {
        if isBlank || accounts.isEmpty { return [:] }
        var records: [Acknowledgement] = []
        // SQLite takes a bounded number of parameters per statement.
        for part in stride(from: 0, to: accounts.count, by: 500).map({ accounts[$0..<min($0 + 500, accounts.count)] }) {
            records += try reader.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, account, policy, action, at, note, source, undone FROM acknowledgement
                        WHERE account IN (\(part.map { _ in "?" }.joined(separator: ", "))) ORDER BY id
                        """,
                    arguments: StatementArguments(Array(part))
                ).map(Self.acknowledgement)
            }
        }
        return Self.standing(records.sorted { $0.id < $1.id })
    }

    /// What stands after `records`, oldest first: each action's latest, unless it undid it.
    private static func standing(_ records: [Acknowledgement]) -> [String: [String: Acknowledgement]] {
        var result: [String: [String: Acknowledgement]] = [:]
        for record in records {
            result[record.account, default: [:]][record.action] = record.undone ? nil : record
        }
        return result
    }

    private static func acknowledgement(_ row: Row) -> Acknowledgement {
        Acknowledgement(
            id: row[0], account: row[1], policy: row[2], action: row[3], at: Instant(secondsSince1970: row[4]),
            note: row[5], source: row[6], undone: row[7])
    }

    /// The actions recorded as done, per account (what `Scheduler` takes as `acknowledged`).
    public func acknowledgedActions() throws -> [String: Set<String>] {
        try standingAcknowledgements().mapValues { Set($0.keys) }.filter { !$0.value.isEmpty }
    }
}
