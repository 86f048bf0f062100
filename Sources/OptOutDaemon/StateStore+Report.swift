import GRDB
import OptOutCore

/// What the store counts, for `optoutd report` and its metrics: read only.
public struct StoreCounts: Sendable, Equatable {
    /// Notices issued (not skipped), by event.
    public var noticesByEvent: [String: Int] = [:]
    /// When the latest notice was issued; `nil` before the first.
    public var lastNoticeIssuedAt: Instant?
    /// Deliveries not yet made nor given up, by channel.
    public var waitingByChannel: [String: Int] = [:]
    /// Deliveries given up, by channel.
    public var givenUpByChannel: [String: Int] = [:]

    public init() {}
}

extension StateStore {
    /// By policy id, when the daemon first saw the policy apply to one of the accounts.
    public func firstSightings() throws -> [String: Instant] {
        if isBlank { return [:] }
        return try reader.read { db in
            var result: [String: Instant] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT policy, min(first_seen) FROM pair GROUP BY policy") {
                result[row[0]] = Instant(secondsSince1970: row[1])
            }
            return result
        }
    }

    /// The notices and deliveries recorded, counted in one read.
    public func counts() throws -> StoreCounts {
        var counts = StoreCounts()
        if isBlank { return counts }
        return try reader.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT event, count(*) FROM notice WHERE skipped = 0 GROUP BY event")
            {
                counts.noticesByEvent[row[0]] = row[1]
            }
            let latest = try Int.fetchOne(db, sql: "SELECT max(issued_at) FROM notice WHERE skipped = 0")
            counts.lastNoticeIssuedAt = latest.map(Instant.init(secondsSince1970:))
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, sum(delivered_at IS NULL AND given_up = 0), sum(given_up)
                    FROM delivery GROUP BY channel
                    """)
            {
                counts.waitingByChannel[row[0]] = row[1]
                counts.givenUpByChannel[row[0]] = row[2]
            }
            return counts
        }
    }
}
