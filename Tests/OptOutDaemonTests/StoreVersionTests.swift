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

    /// Records from before the store kept the platform: one that names a policy is about
    /// that policy's platform; one that does not is about the account on whichever platform,
    /// until a correction takes it back, wherever that is made. Records made now name it.
    @Test func recordsFromBeforeThePlatformWasKeptCountWhereTheyCan() throws {
        let (directory, path) = try scratchStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try edit(
            path,
            """
            INSERT INTO acknowledgement (account, policy, action, at, note, source, undone) VALUES
                ('anna', '', 'ai-objection-form', 100, NULL, 'cli:x', 0),
                ('carl', 'facebook-training', 'ai-objection-form', 100, NULL, 'cli:x', 0),
                ('dora', '', 'ai-objection-form', 100, NULL, 'cli:x', 0);
            ALTER TABLE acknowledgement DROP COLUMN platform;
            DELETE FROM grdb_migrations WHERE identifier = 'v8';
            """)
        let store = try StateStore(path: path)
        #expect(try store.acknowledgements().map(\.platform) == [nil, nil, nil])
        let policy = Policy(
            id: "facebook-training", platform: "facebook", title: "T", summary: "",
            effective: CivilDate(iso: "2025-11-03")!, deadline: CivilDate(iso: "2025-11-03")!, regions: ["DE"],
            except: [], coverage: RegionName("DE")!.countries,
            actions: [PolicyAction(id: "ai-objection-form", title: "Object", location: "Settings")])
        let catalog = Catalog([policy])
        func account(_ id: String, on platform: String) -> Account {
            Account(id: id, platform: platform, region: CountryCode(letters: "DE")!, zone: .utc)
        }
        func isDone(_ id: String, on platform: String) throws -> Bool {
            try store.standingAcknowledgements(of: [account(id, on: platform)], catalog: catalog)[id]?[
                "ai-objection-form"] != nil
        }
        #expect(try isDone("anna", on: "instagram") && isDone("anna", on: "facebook"))
        #expect(try isDone("carl", on: "facebook") && !isDone("carl", on: "instagram"))
        // Dora's form is taken back on Facebook: it is done nowhere, Instagram included.
        let request = try AcknowledgementRequest(
            account: account("dora", on: "facebook"), items: ["ai-objection-form"], catalog: catalog)
        let now = Instant(secondsSince1970: 200)
        #expect(
            try store.acknowledge([request], note: nil, source: "cli:x", undo: true, at: now, catalog: catalog)
                .recorded.count == 1)
        #expect(try !isDone("dora", on: "facebook") && !isDone("dora", on: "instagram"))
        // Done again on Facebook: that record names Facebook, and stands there only.
        _ = try store.acknowledge([request], note: nil, source: "cli:x", at: now, catalog: catalog)
        #expect(try store.acknowledgements().last?.platform == "facebook")
        #expect(try isDone("dora", on: "facebook") && !isDone("dora", on: "instagram"))
    }
}
