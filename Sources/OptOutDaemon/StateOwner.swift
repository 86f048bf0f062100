import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Lets a command run by root use a state store that belongs to the service's user.
///
/// Under `DynamicUser=yes` the state directory belongs to a user that exists only while
/// the service runs. Were root to open the SQLite files, new `-wal` and `-shm` files
/// would belong to root and the service could no longer write them. So root takes on
/// the owner of the state directory before touching anything in it.
public enum StateOwner {
    /// When running as root and the state directory (or file) belongs to another user,
    /// switch to that user and group for the rest of the process.
    public static func adopt(statePath: String) throws {
        guard geteuid() == 0 else { return }
        var info = stat()
        let directory = (statePath as NSString).deletingLastPathComponent
        guard stat(statePath, &info) == 0 || stat(directory.isEmpty ? "." : directory, &info) == 0, info.st_uid != 0
        else { return }
        guard setgroups(0, nil) == 0, setgid(info.st_gid) == 0, setuid(info.st_uid) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM)
        }
    }
}
