import Foundation
import GRDB
import OptOutCore

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's durable memory, in SQLite (WAL): when pairs were first seen, which
/// notices were issued or skipped, their delivery per channel, and acknowledgements.
///
/// A notice and its deliveries are recorded in one transaction before anything is sent,
/// and each delivery is marked done in its own transaction right after it is sent: a
/// crash can repeat at most the one notice in flight, and never loses one.
///
/// The daemon, `ack` and the web page open it to write; `plan` and `status` open it
/// read-only, so they work for a user who may only read it and never change it.
public final class StateStore: Sendable {
    /// How a store is opened.
    public enum Access: Sendable {
        /// Read and write; with `create`, a missing store is made (and its folder, 0700).
        case readWrite(create: Bool)
        /// Read only: nothing is created, migrated or written.
        case readOnly
    }

    public let path: String
    let reader: any DatabaseReader
    private let writer: (any DatabaseWriter)?
    /// Device and inode of the file opened: a store deleted or replaced under a running
    /// daemon is no longer the file at `path`.
    private let identity: (device: UInt64, inode: UInt64)
    /// A read-only store that has no tables yet (an empty file): it holds nothing.
    let isBlank: Bool

    /// Waits for a lock another process holds, up to ten seconds, in steps short enough that
    /// a SIGTERM or SIGINT to the daemon cuts the wait: the write then fails, as on a full
    /// disk, and the daemon stops as asked instead of once the other process lets go.
    static let waitForLock = Database.BusyMode.callback { tries in
        guard tries < 500, !SignalRelay.isStopRequested else { return false }
        usleep(20_000)
        return true
    }

    /// Opens the store at `path`.
    public init(path: String, access: Access = .readWrite(create: true)) throws(StoreError) {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        // SQLite would wait for a writer on a FIFO forever, and reads a folder as a broken disk.
        if exists, let kind = Self.notARegularFile(path) {
            throw StoreError(path, "it is \(kind), not a file; --state names the store's SQLite file")
        }
        switch access {
        case .readOnly:
            guard exists else { throw StoreError(path, "no such file") }
            var configuration = GRDB.Configuration()
            configuration.readonly = true
            configuration.busyMode = Self.waitForLock
            // A store in WAL mode is read through its -shm file, which a reader who may not
            // write cannot create. With no -wal file, no writer has it open: all of it is in
            // the main file, which can then be read as immutable, needing nothing else.
            let walInUse = FileManager.default.fileExists(atPath: path + "-wal")
            let location = walInUse ? path : "file:" + Self.uriEscaped(path) + "?immutable=1"
            let queue: DatabaseQueue
            do {
                queue = try DatabaseQueue(path: location, configuration: configuration)
                isBlank = try queue.read { try !$0.tableExists("pair") }
            } catch {
                throw StoreError(path, "cannot read it (\(error)); check that you may read the file and its folder")
            }
            // A reader does not upgrade a store; one of another version is said so, not read
            // as tables that lack a column.
            if !isBlank, let problem = try Self.versionProblem(queue, path: path, upgradable: true) { throw problem }
            reader = queue
            writer = nil
        case .readWrite(let create):
            guard exists || create else {
                throw StoreError(
                    path,
                    "no such file; check --state (the daemon's store), or add --create to start a new, empty store")
            }
            let pool = try Self.openForWriting(path)
            reader = pool
            writer = pool
            isBlank = false
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw StoreError(path, "it vanished while being opened") }
        identity = (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    /// What `path` is when it is not a regular file (or a link to one).
    private static func notARegularFile(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "a device"
        }
    }

    /// `path` with what a SQLite URI gives a meaning (`%`, `?`, `#`) percent-encoded.
    private static func uriEscaped(_ path: String) -> String {
        path.replacing("%", with: "%25").replacing("?", with: "%3F").replacing("#", with: "%23")
    }

    /// Whether `path` is still the file this store has open (not deleted, moved or replaced).
    public var isInPlace: Bool {
        var status = stat()
        return stat(path, &status) == 0 && UInt64(status.st_dev) == identity.device
            && UInt64(status.st_ino) == identity.inode
    }

    /// Writes in one transaction; the store must have been opened to write.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        guard let writer else { throw StoreError(path, "opened read-only") }
        // Writing on into a deleted file would lose everything written from then on.
        guard isInPlace else { throw StoreError.gone(path) }
        return try writer.write(updates)
    }

    /// Opens (creating when needed) and migrates. Processes that do this at once take turns
    /// on a lock of the store's folder: SQLite alone lets two of them both find a fresh file
    /// without tables and both create them, and one fails ("table pair already exists").
    private static func openForWriting(_ path: String) throws(StoreError) -> DatabasePool {
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(path, "cannot create its folder \(folder): \(error.localizedDescription)")
        }
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderDescriptor >= 0 else {
            throw StoreError(path, "cannot open its folder \(folder): \(String(cString: strerror(errno)))")
        }
        defer { close(folderDescriptor) }
        while flock(folderDescriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { _ = flock(folderDescriptor, LOCK_UN) }
        var configuration = GRDB.Configuration()
        configuration.busyMode = Self.waitForLock
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError(
                path, "cannot open it to write (\(error)); check that the file and its folder are writable and not full"
            )
        }
        // An older optoutd must not write into what a newer one made of the store.
        if let problem = try versionProblem(pool, path: path, upgradable: false) { throw problem }
        do {
            try StoreSchema.migrator.migrate(pool)
            return pool
        } catch {
            throw StoreError(
                path, "cannot open it to write (\(error)); check that the file and its folder are writable and not full"
            )
        }
    }
}

extension StateStore {
    /// Why this optoutd cannot use the store as it is: a newer optoutd changed it in ways
    /// this one does not know, or (for a reader, which does not upgrade it) an older one
    /// made it. `nil` when it fits.
    fileprivate static func versionProblem(_ reader: any DatabaseReader, path: String, upgradable: Bool)
        throws(StoreError) -> StoreError?
    {
        do {
            let migrator = StoreSchema.migrator
            return try reader.read { db in
                if try migrator.hasBeenSuperseded(db) {
                    return StoreError(
                        path,
                        "a newer optoutd has changed it, in ways this one (\(OptOutVersion.current)) does not know; use that version or a later one"
                    )
                }
                if upgradable, try !migrator.hasCompletedMigrations(db) {
                    return StoreError(
                        path,
                        "an older optoutd made it; it is upgraded when the daemon next opens it (systemctl restart optoutd, or optoutd run --once)"
                    )
                }
                return nil
            }
        } catch {
            throw StoreError(path, "cannot read it (\(error)); check that you may read the file and its folder")
        }
    }
}

/// A state store that cannot be opened, read or written: the path, and what to do.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "state store \(path): \(reason)" }

    /// The file was deleted or replaced while the store was open.
    static func gone(_ path: String) -> StoreError {
        StoreError(
            path,
            "the file was deleted or replaced while optoutd ran; restart optoutd to start again from the file there now"
        )
    }
}
