import Foundation
import GRDB
import OptOutCore

extension StateStore {
    /// When the compliance summary last went out, if ever.
    public func lastSummaryReport() throws -> Instant? {
        if isBlank { return nil }
        return try reader.read { db in
            try Int.fetchOne(db, sql: "SELECT max(sent_at) FROM summary_report").map(Instant.init(secondsSince1970:))
        }
    }

    /// Records that the compliance summary went out at `now`.
    public func recordSummaryReport(at now: Instant) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO summary_report (sent_at) VALUES (?)", arguments: [now.secondsSince1970])
        }
    }
}
