import Crypto
import Foundation
import OptOutCore

#if canImport(Glibc)
    import Glibc
#endif

/// The key that seals confirmation links: from the credential `web.key_credential` names,
/// or else from `STATE.link-key` beside the store, made at first use.
///
/// The daemon (which puts links in messages), `optoutd link` and `optoutd serve` (which
/// checks them) must read the same key. Replacing it (a new credential, or deleting the
/// file) makes every link made before unusable.
public enum LinkKey {
    /// Fewer bytes than this would make the MAC easier to forge than SHA-256 allows.
    public static let minimumLength = 32

    public static func load(_ settings: WebSettings, credentials: Credentials, statePath: String) throws(DeliveryError)
        -> [UInt8]
    {
        if let name = settings.keyCredential {
            let bytes = Array(try credentials.value(name).utf8)
            guard bytes.count >= minimumLength else {
                throw DeliveryError(
                    "credential '\(name)' holds fewer than \(minimumLength) bytes; make one with: openssl rand -base64 48"
                )
            }
            return bytes
        }
        return try stored(at: statePath + ".link-key")
    }

    /// The key in `path`, made there first when there is none.
    private static func stored(at path: String) throws(DeliveryError) -> [UInt8] {
        if let key = try read(path) { return key }
        // Written whole under another name and linked into place, so that two processes
        // making it at once end up reading the same key.
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let temporary = path + ".\(getpid()).new"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else { throw DeliveryError("cannot write a link key to \(temporary): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        if link(temporary, path) == 0 {
            StateOwner.handOver(path)
        } else if errno != EEXIST {
            throw DeliveryError("cannot put the link key at \(path): \(String(cString: strerror(errno)))")
        }
        guard let key = try read(path) else { throw DeliveryError("the link key at \(path) vanished") }
        return key
    }

    /// `nil` when there is no file; an error for anything but a private file of a key.
    private static func read(_ path: String) throws(DeliveryError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw DeliveryError("cannot read the link key at \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= 4096 else {
            throw DeliveryError("the link key at \(path) is not a small regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw DeliveryError(
                "the link key at \(path) may be read by others (chmod 600 it, or delete it to make a new one)")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count == bytes.count, count >= minimumLength else {
            throw DeliveryError(
                "the link key at \(path) is shorter than \(minimumLength) bytes; delete it to make a new one")
        }
        return bytes
    }
}
