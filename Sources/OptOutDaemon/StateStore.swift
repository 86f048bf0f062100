import Foundation
import GRDB
import OptOutCore

/// A notice waiting to reach one channel (or one recipient of a channel).
public struct Delivery: Sendable, Equatable {
    public var notice: Int64
    /// `channel` or `channel:recipient`.
    public var target: String
    public var attempts: Int
    public var issuedAt: Instant
    public var lastError: String?
    /// The notice as it was issued.
    public var document: NoticeDocument

    public var channelName: String { String(target.prefix { $0 != ":" }) }
    public var recipient: String? { target.firstIndex(of: ":").map { String(target[target.index(after: $0)...]) } }
}

/// A completed opt-out action, recorded by `optoutd ack`.
public struct Acknowledgement: Sendable, Equatable {
    public var id: Int64
    public var account: String
    public var policy: String
    public var action: String
    public var at: Instant
    public var note: String?
}

/// What the state store knows of one pair, for `optoutd status`.
public struct PairRecord: Sendable, Equatable {
    public var lastEvent: EventKind
    public var lastSentAt: Instant
}

/// The daemon's durable memory, in SQLite (WAL): when pairs were first seen, which
/// notices were issued or skipped, their delivery per channel, and acknowledgements.
///
/// A notice and its deliveries are recorded in one transaction before anything is sent,
/// and each delivery is marked done in its own transaction right after it is sent: a
/// crash can repeat at most the one notice in flight, and never loses one.
public final class StateStore: Sendable {
    private let database: DatabasePool

    /// Opens (creating when needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pair (
                        account TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        first_seen INTEGER NOT NULL,
                        handled_through INTEGER NOT NULL,
                        opted_out INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (account, policy)
                    ) WITHOUT ROWID;
                    CREATE TABLE notice (
                        id INTEGER PRIMARY KEY,
                        account TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        event TEXT NOT NULL,
                        date TEXT NOT NULL,
                        scheduled_at INTEGER NOT NULL,
                        issued_at INTEGER NOT NULL,
                        late INTEGER NOT NULL,
                        skipped INTEGER NOT NULL DEFAULT 0,
                        document TEXT,
                        UNIQUE (account, policy, event, date)
                    );
                    CREATE TABLE delivery (
                        notice_id INTEGER NOT NULL REFERENCES notice(id),
                        target TEXT NOT NULL,
                        delivered_at INTEGER,
                        given_up INTEGER NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt INTEGER NOT NULL,
                        last_error TEXT,
                        PRIMARY KEY (notice_id, target)
                    ) WITHOUT ROWID;
                    CREATE INDEX delivery_waiting ON delivery (next_attempt) WHERE delivered_at IS NULL AND given_up = 0;
                    CREATE TABLE acknowledgement (
                        id INTEGER PRIMARY KEY,
                        account TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        action TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        note TEXT
                    );
                    """)
        }
        return migrator
    }

    /// Every pair's history.
    public func histories() throws -> [PairKey: PairHistory] {
        try database.read { db in
            var result: [PairKey: PairHistory] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT account, policy, first_seen, handled_through, opted_out FROM pair")
            while let row = try rows.next() {
                result[PairKey(account: row[0], policy: row[1])] = PairHistory(
                    firstSeen: Instant(secondsSince1970: row[2]), handledThrough: Instant(secondsSince1970: row[3]),
                    optedOut: row[4])
            }
            return result
        }
    }

    /// Records what a scheduler step decided, in one transaction: new notices with a
    /// pending delivery for each of their channels, skipped notices, and pair histories.
    public func record(
        _ step: Scheduler.Step, at now: Instant, targets: (Notice) -> [(target: String, firstAttempt: Instant)]
    ) throws {
        guard !step.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try database.write { db in
            for notice in step.notices {
                let document = try String(decoding: encoder.encode(NoticeDocument(notice)), as: UTF8.self)
                try db.execute(
                    sql: """
                        INSERT INTO notice (account, policy, event, date, scheduled_at, issued_at, late, document)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (account, policy, event, date) DO NOTHING
                        """,
                    arguments: [
                        notice.account.id, notice.policy.id, notice.event.rawValue, notice.date.description,
                        notice.at.secondsSince1970, now.secondsSince1970, notice.late, document,
                    ])
                guard db.changesCount > 0 else { continue }  // issued before: never twice
                let id = db.lastInsertedRowID
                for (target, firstAttempt) in targets(notice) {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO delivery (notice_id, target, next_attempt) VALUES (?, ?, ?)",
                        arguments: [id, target, firstAttempt.secondsSince1970])
                }
            }
            for key in step.skipped {
                try db.execute(
                    sql: """
                        INSERT INTO notice (account, policy, event, date, scheduled_at, issued_at, late, skipped)
                        VALUES (?, ?, ?, ?, 0, ?, 0, 1) ON CONFLICT DO NOTHING
                        """,
                    arguments: [
                        key.pair.account, key.pair.policy, key.event.rawValue, key.date.description,
                        now.secondsSince1970,
                    ])
            }
            for (pair, history) in step.histories {
                try db.execute(
                    sql: """
                        INSERT INTO pair (account, policy, first_seen, handled_through, opted_out) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (account, policy) DO UPDATE SET
                            handled_through = excluded.handled_through, opted_out = excluded.opted_out
                        """,
                    arguments: [
                        pair.account, pair.policy, history.firstSeen.secondsSince1970,
                        history.handledThrough.secondsSince1970, history.optedOut,
                    ])
            }
        }
    }

    /// Deliveries not yet done whose next attempt is due by `now`, oldest notice first.
    public func waitingDeliveries(dueBy now: Instant, limit: Int = .max) throws -> [Delivery] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.notice_id, d.target, d.attempts, n.issued_at, d.last_error, n.document
                    FROM delivery d JOIN notice n ON n.id = d.notice_id
                    WHERE d.delivered_at IS NULL AND d.given_up = 0 AND d.next_attempt <= ? ORDER BY d.notice_id
                    LIMIT ?
                    """,
                arguments: [now.secondsSince1970, limit]
            ).map { row in
                let document = try JSONDecoder().decode(NoticeDocument.self, from: Data((row[5] as String).utf8))
                return Delivery(
                    notice: row[0], target: row[1], attempts: row[2], issuedAt: Instant(secondsSince1970: row[3]),
                    lastError: row[4], document: document)
            }
        }
    }

    /// When the next waiting delivery is due, if any.
    public func nextDeliveryAttempt() throws -> Instant? {
        try database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT min(next_attempt) FROM delivery WHERE delivered_at IS NULL AND given_up = 0"
            ).map(Instant.init(secondsSince1970:))
        }
    }

    public func markDelivered(_ delivery: Delivery, at now: Instant) throws {
        try update(delivery, "delivered_at = ?, attempts = attempts + 1", [now.secondsSince1970])
    }

    public func markFailed(_ delivery: Delivery, error: String, retryAt: Instant) throws {
        try update(
            delivery, "attempts = attempts + 1, last_error = ?, next_attempt = ?", [error, retryAt.secondsSince1970])
    }

    /// No more attempts: the notice will never reach this target.
    public func markGivenUp(_ delivery: Delivery, error: String) throws {
        try update(delivery, "given_up = 1, attempts = attempts + 1, last_error = ?", [error])
    }

    private func update(_ delivery: Delivery, _ assignments: String, _ values: [any DatabaseValueConvertible]) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE delivery SET \(assignments) WHERE notice_id = ? AND target = ?",
                arguments: StatementArguments(values + [delivery.notice, delivery.target]))
        }
    }

    /// Records completed actions of a pair (one row each).
    public func acknowledge(account: String, policy: String, actions: [String], note: String?, at now: Instant) throws {
        try database.write { db in
            for action in actions {
                try db.execute(
                    sql: "INSERT INTO acknowledgement (account, policy, action, at, note) VALUES (?, ?, ?, ?, ?)",
                    arguments: [account, policy, action, now.secondsSince1970, note])
            }
        }
    }

    /// Acknowledgements recorded after the one with id `after` (0: all), oldest first.
    public func acknowledgements(after id: Int64 = 0) throws -> [Acknowledgement] {
        try database.read { db in
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

    /// The latest notice delivered (to any channel) per pair.
    public func lastDelivered() throws -> [PairKey: PairRecord] {
        try database.read { db in
            var result: [PairKey: PairRecord] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT n.account, n.policy, n.event, max(d.delivered_at) FROM notice n JOIN delivery d ON d.notice_id = n.id
                    WHERE d.delivered_at IS NOT NULL GROUP BY n.account, n.policy
                    """)
            while let row = try rows.next() {
                guard let event = EventKind(rawValue: row[2]) else { continue }
                result[PairKey(account: row[0], policy: row[1])] = PairRecord(
                    lastEvent: event, lastSentAt: Instant(secondsSince1970: row[3]))
            }
            return result
        }
    }

    /// Deliveries still waiting, per target, with the latest error, for `optoutd status`.
    public func waitingSummary() throws -> [(target: String, count: Int, lastError: String?)] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT target, count(*), max(last_error) FROM delivery WHERE delivered_at IS NULL AND given_up = 0
                    GROUP BY target ORDER BY target
                    """
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }
}
