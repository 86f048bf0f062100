import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one running instance of the daemon per state store: an exclusive `flock(2)` on a lock
/// file beside the store (`STATE.lock`), held for the life of the process and released by
/// the kernel however the process ends.
///
/// The store file itself is locked too, with `flock(2)` (which SQLite's own `fcntl(2)` locks
/// never meet on a local file system): a hard link to the store is another name, so it
/// names another lock file, but it is the same file.
///
/// The file holds the holder's PID and its latest status line, so that a second instance
/// and `optoutd status` can say who holds it and how it is doing. Its room is written out
/// once when it is taken, and the status is written into that room in place: that needs no
/// new blocks, so it works on a full disk too.
public final class StoreLock: Sendable {
    public let path: String
    private let descriptor: Int32
    /// The store file, or -1 when it cannot be opened (the store then says why).
    private let storeDescriptor: Int32
    static let room = 4096

    /// Another process holds the lock.
    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var holder: Int32?

        public var description: String {
            let who = holder.map { "process \($0)" } ?? "another process"
            return
                "the state store is in use by \(who) (lock \(path)): only one optoutd run may deliver from a store at a time"
        }
    }

    /// Takes the lock of the store at `storePath`, or throws `Held`.
    public init(storePath: String) throws {
        path = Self.lockPath(ofStore: storePath)
        // Whether this call makes the lock file: one made for a store that turns out to be
        // held under another name (a hard link) is taken away again.
        var made = true
        var opened = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if opened < 0, errno == EEXIST {
            made = false
            opened = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        }
        descriptor = opened
        guard descriptor >= 0 else {
            throw StoreError(
                storePath,
                "cannot make its lock \(path): \(String(cString: strerror(errno))); check that its folder is writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let held = Held(path: path, holder: Self.status(in: descriptor)?.pid)
            close(descriptor)
            throw held
        }
        StateOwner.handOver(path)
        // Made here when missing (SQLite takes an empty file as a new store), so that it is
        // locked from the start; never waiting, should it be a FIFO the store then refuses.
        let existed = access(storePath, F_OK) == 0
        storeDescriptor = open(storePath, O_RDONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0o600)
        if !existed, storeDescriptor >= 0 { StateOwner.handOver(storePath) }
        guard storeDescriptor < 0 || flock(storeDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(storeDescriptor)
            // Still holding it, so no other run took it meanwhile; the store's own lock keeps
            // any later one out all the same.
            if made { unlink(path) }
            close(descriptor)
            throw Held(path: storePath, holder: nil)
        }
        var room = [UInt8](repeating: UInt8(ascii: " "), count: Self.room)
        room[room.count - 1] = UInt8(ascii: "\n")
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, &room, room.count, 0)
        record(status: "starting")
    }

    deinit {
        if storeDescriptor >= 0 { close(storeDescriptor) }
        close(descriptor)
    }

    /// Writes the PID and `status` (one line, cut to fit) into the file's room.
    public func record(status: String) {
        // By scalars: Swift reads "\r\n" as one Character, which a "\n" would not match.
        let oneLine = String(
            String.UnicodeScalarView(status.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : $0 }))
        let line = "\(getpid())\n" + oneLine.prefix(Self.room - 32) + "\n"
        var bytes = Array(line.utf8.prefix(Self.room - 1))
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: Self.room - 1 - bytes.count) + [UInt8(ascii: "\n")]
        _ = pwrite(descriptor, &bytes, bytes.count, 0)
    }

    /// The holder's PID and status, when a running instance holds the lock of `storePath`.
    public static func holder(ofStore storePath: String) -> (pid: Int32, status: String)? {
        let descriptor = open(lockPath(ofStore: storePath), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // A shared lock that can be had means no instance holds the exclusive one.
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(descriptor, LOCK_UN)
            return nil
        }
        return status(in: descriptor).map { ($0.pid ?? 0, $0.status) }
    }

    /// `STATE.lock` beside the store, with symbolic links resolved: a link to the store (or
    /// to its folder) names the same lock, so that it cannot start a second instance.
    static func lockPath(ofStore storePath: String) -> String {
        func resolved(_ path: String) -> String? {
            guard let real = realpath(path, nil) else { return nil }
            defer { free(real) }
            return String(cString: real)
        }
        if let store = resolved(storePath) { return store + ".lock" }
        let folder = (storePath as NSString).deletingLastPathComponent
        guard let real = resolved(folder.isEmpty ? "." : folder) else { return storePath + ".lock" }
        return (real as NSString).appendingPathComponent((storePath as NSString).lastPathComponent) + ".lock"
    }

    private static func status(in descriptor: Int32) -> (pid: Int32?, status: String)? {
        var bytes = [UInt8](repeating: 0, count: room)
        let count = pread(descriptor, &bytes, room, 0)
        guard count > 0 else { return nil }
        let lines = String(decoding: bytes[..<count], as: UTF8.self).split(separator: "\n", maxSplits: 1)
        let pid = lines.first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        let status = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return (pid, status)
    }
}
