#if canImport(Glibc)
    import Glibc
#endif

/// Standard input, output and error, written with write(2).
///
/// Not `FileHandle`: it ends the process with a fatal error when a write fails, and a
/// daemon's standard error may be a pipe whose reader went away (a log collector that
/// restarts). What cannot be written is dropped, as there is nowhere else to say it.
public enum StandardStreams {
    /// Gives each of descriptors 0, 1 and 2 that is closed `/dev/null`. A process started
    /// with one closed would otherwise hand that number to the next file it opens (the
    /// store's lock, or the store), and what it prints would be written into that file.
    public static func openMissing() {
        for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            // open(2) takes the lowest free number: this one, as those below are open.
            _ = open("/dev/null", O_RDWR)
        }
    }

    public static func writeError(_ text: String) {
        var text = text
        _ = text.withUTF8 { write(UnsafeRawBufferPointer($0), to: STDERR_FILENO) }
    }

    /// Writes all of `bytes`, or as much as the descriptor takes before it fails; returns
    /// the `errno` of the failure, if any.
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return written < 0 ? errno : EIO }
            offset += written
        }
        return nil
    }
}
