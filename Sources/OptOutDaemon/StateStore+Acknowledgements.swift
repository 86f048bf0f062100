import Foundation
import GRDB
import OptOutCore

extension StateStore {
    /// Records completed actions of a pair (one row each).
    public func acknowledge(account: String, policy: String, actions: [String], note: String?, at now: Instant) throws {
        try write { db in
            for action in actions {
                try db.execute(
                    sql: "INSERT INTO acknowledgement (account, policy, action, at, note) VALUES (?, ?, ?, ?, ?)",
                    arguments: [account, policy, action, now.secondsSince1970, note])
            }
        }
    }

    /// Acknowledgements recorded after the one with id `after` (0: all), oldest first.
    public func acknowledgements(after id: Int64 = 0) throws -> [Acknowledgement] {
        if isBlank { return [] }
        return try reader.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, account, policy, action, at, note FROM acknowledgement WHERE id > ? ORDER BY id",
                arguments: [id]
            ).map { row in
                Acknowledgement(
                    id: row[0], account: row[1], policy: row[2], action: row[3], at: Instant(secondsSince1970: row[4]),
                    note: row[5])
            }
        }
    }

    /// The actions recorded as done, per account (what `Scheduler` takes as `acknowledged`).
    public func acknowledgedActions() throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for acknowledgement in try acknowledgements() {
            result[acknowledgement.account, default: []].insert(acknowledgement.action)
        }
        return result
    }
}
