import Foundation
import GRDB
import OptOutCore

extension StateStore {
    /// Records that `actions` of an account were done (or, with `undo`, are pending again),
    /// one row each, in one transaction. The one way acknowledgements are written: by
    /// `optoutd ack` and by the confirmation page alike.
    ///
    /// - Parameters:
    ///   - policy: the policy named, or `nil` when the platform's switches were named alone.
    ///   - source: `cli:USER` or `link`.
    public func acknowledge(
        account: String, policy: String?, actions: [String], note: String?, source: String, undo: Bool = false,
        at now: Instant
    ) throws {
        try write { db in
            for action in actions {
                try db.execute(
                    sql: """
                        INSERT INTO acknowledgement (account, policy, action, at, note, source, undone)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [account, policy ?? "", action, now.secondsSince1970, note, source, undo])
            }
        }
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
            ).map { row in
                Acknowledgement(
                    id: row[0], account: row[1], policy: row[2], action: row[3], at: Instant(secondsSince1970: row[4]),
                    note: row[5], source: row[6], undone: row[7])
            }
        }
    }

    /// The latest record of each action of each account that stands: what is done now,
    /// with when, how and why.
    public func standingAcknowledgements() throws -> [String: [String: Acknowledgement]] {
        var result: [String: [String: Acknowledgement]] = [:]
        for acknowledgement in try acknowledgements() {
            result[acknowledgement.account, default: [:]][acknowledgement.action] =
                acknowledgement.undone ? nil : acknowledgement
        }
        return result
    }

    /// The actions recorded as done, per account (what `Scheduler` takes as `acknowledged`).
    public func acknowledgedActions() throws -> [String: Set<String>] {
        try standingAcknowledgements().mapValues { Set($0.keys) }.filter { !$0.value.isEmpty }
    }
}
