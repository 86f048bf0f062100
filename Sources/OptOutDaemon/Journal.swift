import CSystemd
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes structured entries to the systemd journal with `sd_journal_sendv`.
///
/// Field names are sanitised at this boundary: upper case, `[A-Z0-9_]`, not starting
/// with `_` or a digit, at most 64 characters. `CODE_FILE`, `CODE_LINE` and `CODE_FUNC`
/// are added from the caller's location.
public struct Journal: Sendable {
    public init() {}

    /// Whether a journal socket is there to write to.
    public static var isAvailable: Bool {
        access("/run/systemd/journal/socket", W_OK) == 0
    }

    /// Sends one entry. Throws the `errno` of a failed send.
    public func send(
        _ fields: [(name: String, value: String)], file: String = #fileID, line: Int = #line,
        function: String = #function
    ) throws {
        var entries = fields.map { (Self.fieldName($0.name), $0.value) }
        entries += [("CODE_FILE", file), ("CODE_LINE", String(line)), ("CODE_FUNC", function)]
        // One buffer holds every NAME=value; the iovecs point into it.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for (name, value) in entries {
            let start = bytes.count
            bytes.append(contentsOf: name.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: value.utf8)
            ranges.append(start..<bytes.count)
        }
        let result = bytes.withUnsafeMutableBytes { buffer -> Int32 in
            let vectors = ranges.map { range in
                iovec(iov_base: buffer.baseAddress! + range.lowerBound, iov_len: range.count)
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        guard result >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: -result) ?? .EIO) }
    }

    /// A valid journal field name for `name`.
    public static func fieldName(_ name: String) -> String {
        var scalars = name.uppercased().unicodeScalars.map { scalar -> Character in
            ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        while let first = scalars.first, first == "_" || first.isNumber { scalars.removeFirst() }
        let result = String(scalars.prefix(64))
        return result.isEmpty ? "FIELD" : result
    }
}
