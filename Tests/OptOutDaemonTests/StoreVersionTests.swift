import Foundation
import GRDB
import OptOutCore
import Testing

@testable import OptOutDaemon

/// A store made by another version of optoutd: an older one is upgraded by a writer and
/// named by a reader, a newer one is never written by this version.
@Suite struct StoreVersionTests {
    func scratchStore() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optoutd-version-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("state.sqlite").path
        _ = try StateStore(path: path)
        return (directory, path)
    }

    /// Changes the store's record of its migrations, as another version would have left it.
    func edit(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    @Test func anOlderStoreIsNamedByAReaderAndUpgradedByAWriter() throws {
        let (directory, path) = try scratchStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try edit(path, "DROP INDEX acknowledgement_action; DELETE FROM grdb_migrations WHERE identifier = 'v6'")
        #expect {
            try StateStore(path: path, access: .readOnly)
        } throws: { error in
            (error as? StoreError)?.reason.hasPrefix("an older optoutd made it; it is upgraded when the daemon") == true
        }
        _ = try StateStore(path: path)
        _ = try StateStore(path: path, access: .readOnly)
    }

    @Test func aNewerStoreIsNeitherReadNorWritten() throws {
        let (directory, path) = try scratchStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try edit(path, "INSERT INTO grdb_migrations VALUES ('v99')")
        for access in [StateStore.Access.readOnly, .readWrite(create: false)] {
            #expect {
                try StateStore(path: path, access: access)
            } throws: { error in
                (error as? StoreError)?.reason.hasPrefix("a newer optoutd has changed it") == true
            }
        }
    }

    /// A store from before pairs counted their overdue notices counts, on upgrade, the ones
    /// it recorded (sent or passed over), so that `overdue_max` goes on from there.
    @Test func anUpgradedStoreCountsTheOverdueNoticesItRecorded() throws {
        let (directory, path) = try scratchStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try edit(
            path,
            """
            INSERT INTO pair (account, policy, first_seen, handled_through) VALUES ('anna', 'training', 0, 100);
            INSERT INTO notice (account, policy, event, date, scheduled_at, issued_at, late, skipped) VALUES
                ('anna', 'training', 'overdue', '2025-11-10', 0, 0, 0, 1),
                ('anna', 'training', 'overdue', '2025-11-17', 0, 0, 0, 0),
                ('anna', 'training', 'escalation', '2025-11-17', 0, 0, 0, 0),
                ('anna', 'other', 'overdue', '2025-11-17', 0, 0, 0, 0);
            ALTER TABLE pair DROP COLUMN overdue_repeats;
            DELETE FROM grdb_migrations WHERE identifier = 'v7';
            """)
        let store = try StateStore(path: path)
        let pair = PairKey(account: "anna", policy: "training")
        #expect(try store.histories()[pair]?.overdueRepeats == 2)
        var history = try #require(try store.histories()[pair])
        history.overdueRepeats = 3
        try store.record(Scheduler.Step(histories: [(pair, history)]), at: Instant(secondsSince1970: 200)) { _ in [] }
        #expect(try StateStore(path: path, access: .readOnly).histories()[pair] == history)
    }

    /// Records from before the store kept the platform count for the account on whichever
    /// platform it is; a record that names one counts only there.
    @Test func recordsFromBeforeThePlatformWasKeptCountOnAnyPlatform() throws {
        let (directory, path) = try scratchStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try edit(
            path,
            """
            INSERT INTO acknowledgement (account, policy, action, at, note, source, undone)
                VALUES ('anna', '', 'ai-objection-form', 100, NULL, 'cli:x', 0);
            ALTER TABLE acknowledgement DROP COLUMN platform;
            DELETE FROM grdb_migrations WHERE identifier = 'v8';
            """)
        let store = try StateStore(path: path)
        #expect(try store.acknowledgements().map(\.platform) == [nil])
        let zone = try #require(Zone(identifier: "Europe/Berlin"))
        func anna(on platform: String) -> Account {
            Account(id: "anna", platform: platform, region: CountryCode(letters: "DE")!, zone: zone)
        }
        #expect(
            try store.standingAcknowledgements(of: [anna(on: "instagram")])["anna"]?.keys.sorted() == [
                "ai-objection-form"
            ])
        try edit(
            path,
            """
            INSERT INTO acknowledgement (account, policy, action, platform, at, note, source, undone)
                VALUES ('ben', '', 'ai-objection-form', 'facebook', 200, NULL, 'cli:x', 0);
            """)
        let ben = Account(id: "ben", platform: "instagram", region: CountryCode(letters: "DE")!, zone: zone)
        #expect(try store.standingAcknowledgements(of: [ben])["ben"] == nil)
        #expect(try store.standingAcknowledgements(of: [anna(on: "facebook")])["anna"] != nil)
    }
}
