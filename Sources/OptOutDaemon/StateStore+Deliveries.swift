import Foundation
import GRDB
import OptOutCore

extension StateStore {
    /// Deliveries of `channel` not yet done whose next attempt is due by `now`, oldest notice first.
    public func waitingDeliveries(channel: String, dueBy now: Instant, limit: Int = .max) throws -> [Delivery] {
        try waitingDeliveries(where: "d.channel = ?", channel, dueBy: now, limit: limit)
    }

    /// Deliveries to `target` (a channel's recipient) not yet done whose next attempt is due
    /// by `now`, oldest notice first.
    public func waitingDeliveries(target: String, dueBy now: Instant) throws -> [Delivery] {
        try waitingDeliveries(where: "d.target = ?", target, dueBy: now, limit: .max)
    }

    /// The targets of `channel` with a delivery due by `now`, in order.
    public func waitingTargets(channel: String, dueBy now: Instant) throws -> [String] {
        try reader.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT target FROM delivery
                    WHERE channel = ? AND delivered_at IS NULL AND given_up = 0 AND next_attempt <= ? ORDER BY target
                    """,
                arguments: [channel, now.secondsSince1970])
        }
    }

    private func waitingDeliveries(where condition: String, _ value: String, dueBy now: Instant, limit: Int) throws
        -> [Delivery]
    {
        try reader.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.notice_id, d.target, d.attempts, n.issued_at, d.last_error, n.document
                    FROM delivery d JOIN notice n ON n.id = d.notice_id
                    WHERE \(condition) AND d.delivered_at IS NULL AND d.given_up = 0 AND d.next_attempt <= ?
                    ORDER BY d.notice_id LIMIT ?
                    """,
                arguments: [value, now.secondsSince1970, limit]
            ).map { row in
                let document = try JSONDecoder().decode(NoticeDocument.self, from: Data((row[5] as String).utf8))
                return Delivery(
                    notice: row[0], target: row[1], attempts: row[2], issuedAt: Instant(secondsSince1970: row[3]),
                    lastError: row[4], document: document)
            }
        }
    }

    /// When each channel's next waiting delivery is due, for the channels that have one.
    public func nextDeliveryAttempts() throws -> [String: Instant] {
        try reader.read { db in
            var result: [String: Instant] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT channel, min(next_attempt) FROM delivery WHERE delivered_at IS NULL AND given_up = 0
                    GROUP BY channel
                    """)
            while let row = try rows.next() { result[row[0]] = Instant(secondsSince1970: row[1]) }
            return result
        }
    }

    public func markDelivered(_ delivery: Delivery, at now: Instant) throws {
        try update(
            delivery, "delivered_at = ?, last_attempt = ?, attempts = attempts + 1",
            [now.secondsSince1970, now.secondsSince1970])
    }

    public func markFailed(_ delivery: Delivery, error: String, at now: Instant, retryAt: Instant) throws {
        try update(
            delivery, "attempts = attempts + 1, last_error = ?, last_attempt = ?, next_attempt = ?",
            [error, now.secondsSince1970, retryAt.secondsSince1970])
    }

    /// No more attempts: the notice will never reach this target.
    public func markGivenUp(_ delivery: Delivery, error: String, at now: Instant) throws {
        try update(
            delivery, "given_up = 1, attempts = attempts + 1, last_error = ?, last_attempt = ?",
            [error, now.secondsSince1970])
    }

    private func update(_ delivery: Delivery, _ assignments: String, _ values: [any DatabaseValueConvertible]) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE delivery SET \(assignments) WHERE notice_id = ? AND target = ?",
                arguments: StatementArguments(values + [delivery.notice, delivery.target]))
        }
    }

    /// Deliveries still waiting, per target, with the error of the latest attempt, for `optoutd status`.
    public func waitingSummary() throws -> [(target: String, count: Int, lastError: String?)] {
        try deliverySummary(where: "delivered_at IS NULL AND given_up = 0")
    }

    /// Deliveries given up since `since`, per target, with the error of the latest, for `optoutd status`.
    public func givenUpSummary(since: Instant) throws -> [(target: String, count: Int, lastError: String?)] {
        try deliverySummary(where: "given_up = 1 AND last_attempt >= ?", [since.secondsSince1970])
    }

    private func deliverySummary(where condition: String, _ arguments: [any DatabaseValueConvertible] = []) throws
        -> [(target: String, count: Int, lastError: String?)]
    {
        if isBlank { return [] }
        return try reader.read { db in
            // SQLite takes `last_error` from the row with the latest attempt.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT target, count(*), last_error, max(coalesce(last_attempt, 0)) FROM delivery
                    WHERE \(condition) GROUP BY target ORDER BY target
                    """, arguments: StatementArguments(arguments)
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }
}
