import Foundation
import GRDB
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
}
