import Foundation
import GRDB
import OptOutCore

extension StateStore {
    /// The latest time up to which some pair's notices were handled; `nil` for no pair.
    public func latestHandled() throws -> Instant? {
        if isBlank { return nil }
        return try reader.read { db in
            try Int.fetchOne(db, sql: "SELECT max(handled_through) FROM pair").map(Instant.init(secondsSince1970:))
        }
    }

    /// Every pair's history.
    public func histories() throws -> [PairKey: PairHistory] {
        if isBlank { return [:] }
        return try reader.read { db in
            var result: [PairKey: PairHistory] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT account, policy, first_seen, handled_through, opted_out, overdue_repeats FROM pair")
            while let row = try rows.next() {
                result[PairKey(account: row[0], policy: row[1])] = PairHistory(
                    firstSeen: Instant(secondsSince1970: row[2]), handledThrough: Instant(secondsSince1970: row[3]),
                    optedOut: row[4], overdueRepeats: row[5])
            }
            return result
        }
    }

    /// Records what a scheduler step decided, in one transaction: new notices with a
    /// pending delivery for each of their channels, skipped notices, and pair histories.
    public func record(
        _ step: Scheduler.Step, at now: Instant, links: ConfirmationLinks? = nil,
        targets: (Notice) -> [(target: String, firstAttempt: Instant)]
    ) throws {
        guard !step.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try write { db in
            for notice in step.notices {
                let document = try String(
                    decoding: encoder.encode(
                        NoticeDocument(
                            notice,
                            confirmURL: notice.event == .optedOut ? nil : links?.url(for: notice, now: now))),
                    as: UTF8.self)
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
                        sql:
                            "INSERT OR IGNORE INTO delivery (notice_id, target, channel, next_attempt) VALUES (?, ?, ?, ?)",
                        arguments: [
                            id, target, String(target.prefix { $0 != ":" }), firstAttempt.secondsSince1970,
                        ])
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
                        INSERT INTO pair (account, policy, first_seen, handled_through, opted_out, overdue_repeats)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (account, policy) DO UPDATE SET
                            handled_through = excluded.handled_through, opted_out = excluded.opted_out,
                            overdue_repeats = excluded.overdue_repeats
                        """,
                    arguments: [
                        pair.account, pair.policy, history.firstSeen.secondsSince1970,
                        history.handledThrough.secondsSince1970, history.optedOut, history.overdueRepeats,
                    ])
            }
        }
    }

    /// The latest notice delivered (to any channel) per pair.
    public func lastDelivered() throws -> [PairKey: PairRecord] {
        if isBlank { return [:] }
        return try reader.read { db in
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
}
