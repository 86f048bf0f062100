import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps files that a command run by root adds to the state directory owned by the
/// service's user.
///
/// Under `DynamicUser=yes` the state directory belongs to a user that exists only while
/// the service runs, below `/var/lib/private` (closed to everyone but root). Root opens
/// the store where it is: SQLite itself gives new `-wal` and `-shm` files the owner of
/// the database file. Files optoutd writes there itself are handed over with this.
public enum StateOwner {
    /// When running as root, gives `path` the owner and group of its directory.
    public static func handOver(_ path: String) {
        guard geteuid() == 0 else { return }
        var directory = stat()
        let parent = (path as NSString).deletingLastPathComponent
        guard stat(parent.isEmpty ? "." : parent, &directory) == 0, directory.st_uid != 0 else { return }
        _ = chown(path, directory.st_uid, directory.st_gid)
    }
}
