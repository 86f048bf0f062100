import Foundation

/// Secrets handed over by systemd's `LoadCredential=`: files in `$CREDENTIALS_DIRECTORY`.
///
/// A secret is read when it is needed and never logged; errors name the credential, not its value.
public struct Credentials: Sendable {
    public let directory: String?

    public init(directory: String? = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"]) {
        self.directory = directory
    }

    /// The value of credential `name`, without a trailing newline.
    public func value(_ name: String) throws(DeliveryError) -> String {
        guard let directory else {
            throw DeliveryError(
                "credential '\(name)' is needed but $CREDENTIALS_DIRECTORY is not set: give it with LoadCredential= in the unit, or, run by hand, as CREDENTIALS_DIRECTORY=FOLDER"
            )
        }
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = access(path, F_OK) == 0 ? "permission denied" : "no such file"
            throw DeliveryError("credential '\(name)' cannot be read: \(path): \(reason)")
        }
        // Trimmed as bytes: Swift reads "\r\n" as one Character, which neither "\r" nor "\n"
        // is a suffix of, and a secret ending in CR would then be refused as a header value.
        var bytes = Array(data)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
