import OptOutCore

#if canImport(Glibc)
    import Glibc
#endif

/// A value read from a file, with where it was written.
struct Located<Value> {
    var value: Value
    var location: SourceLocation
}

extension Located: Sendable where Value: Sendable {}

/// Collects the diagnostics of one load, across every file it reads.
final class DiagnosticLog {
    private(set) var diagnostics: [Diagnostic] = []

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    /// Takes on the diagnostics of a log kept apart (such as a thread's), after its own.
    func append(_ other: [Diagnostic]) {
        diagnostics += other
    }

    /// Reports a string that holds CR, LF, NUL or another control character where a single
    /// line is required (such values may end up in mail headers). Returns whether it is clean.
    @discardableResult
    func requireSingleLine(_ text: Located<String>, _ what: String, allowNewlines: Bool = false) -> Bool {
        // Control characters are ASCII, and no byte of a longer UTF-8 sequence is: the bytes will do.
        let isControl = { (byte: UInt8) in
            (byte < 0x20 && !(allowNewlines && byte == UInt8(ascii: "\n"))) || byte == 0x7F
        }
        let found =
            text.value.utf8.withContiguousStorageIfAvailable { $0.first(where: isControl) }
            ?? text.value.utf8.first(where: isControl)
        guard let badByte = found else { return true }
        let bad = Unicode.Scalar(badByte)
        let name =
            bad == "\r"
            ? "CR" : bad == "\n" ? "LF" : bad == "\0" ? "NUL" : "U+\(String(bad.value, radix: 16, uppercase: true))"
        error("\(what) contains a control character (\(name)); it must be a single line of text", at: text.location)
        return false
    }
}

/// Decodes file bytes as UTF-8, reporting the place of the first invalid byte.
func decodeUTF8(_ bytes: some Collection<UInt8>, path: String, log: DiagnosticLog) -> String? {
    guard let text = String(validating: bytes, as: UTF8.self) else {
        reportInvalidUTF8(Array(bytes), path: path, log: log)
        return nil
    }
    return withoutByteOrderMark(text)
}

/// A regular file's text, read straight into the string's storage: an inventory may be
/// megabytes, and decoding a copy of them would cost as much memory again. Reports why
/// when the file cannot be read or is not UTF-8.
func readUTF8File(_ path: String, log: DiagnosticLog, referencedAt reference: SourceLocation? = nil) -> String? {
    let place = reference ?? SourceLocation(path: path, line: 1, column: 1)
    func cannotRead(_ reason: String) -> String? {
        log.error("cannot read \(path): \(reason)", at: place)
        return nil
    }
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { return cannotRead(errno == ENOENT ? "no such file" : "permission denied or not a file") }
    defer { close(file) }
    var status = stat()
    guard fstat(file, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
        return cannotRead("permission denied or not a file")
    }
    var failure: String?
    var isUTF8 = true
    let text = String(unsafeUninitializedCapacity: Int(status.st_size)) { space in
        var count = 0
        while count < space.count {
            let got = read(file, space.baseAddress! + count, space.count - count)
            if got < 0, errno == EINTR { continue }
            if got < 0 { failure = String(cString: strerror(errno)) }
            guard got > 0 else { break }
            count += got
        }
        guard failure == nil else { return 0 }
        let bytes = UnsafeBufferPointer(rebasing: space[..<count])
        isUTF8 = isASCII(bytes) || String(validating: bytes, as: UTF8.self) != nil
        if !isUTF8 { reportInvalidUTF8(Array(bytes), path: path, log: log) }
        return isUTF8 ? count : 0
    }
    if let failure { return cannotRead(failure) }
    return isUTF8 ? withoutByteOrderMark(text) : nil
}

/// Whether every byte is ASCII, and so the whole valid UTF-8; eight bytes at a time.
private func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let raw = UnsafeRawBufferPointer(bytes)
    var seen: UInt64 = 0
    var index = 0
    while index + 8 <= raw.count {
        seen |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        index += 8
    }
    while index < raw.count {
        seen |= UInt64(raw[index])
        index += 1
    }
    return seen & 0x8080_8080_8080_8080 == 0
}

private func withoutByteOrderMark(_ text: String) -> String {
    guard text.hasPrefix("\u{FEFF}") else { return text }
    var text = text
    text.removeFirst()
    return text
}

/// Reports the line and column of the first byte that is not valid UTF-8.
private func reportInvalidUTF8(_ bytes: [UInt8], path: String, log: DiagnosticLog) {
    var line = 1
    var column = 1
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        let length: Int
        switch byte {
        case 0x00...0x7F: length = 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: length = 0
        }
        var valid = length > 0 && index + length <= bytes.count
        if valid, length > 1 {
            for continuation in bytes[(index + 1)..<(index + length)] where continuation & 0xC0 != 0x80 {
                valid = false
            }
            if valid, length == 3 {
                let second = bytes[index + 1]
                valid = !(byte == 0xE0 && second < 0xA0) && !(byte == 0xED && second >= 0xA0)
            }
            if valid, length == 4 {
                let second = bytes[index + 1]
                valid = !(byte == 0xF0 && second < 0x90) && !(byte == 0xF4 && second >= 0x90)
            }
        }
        guard valid else {
            log.error(
                "file is not valid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)))",
                at: SourceLocation(path: path, line: line, column: column))
            return
        }
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += length
    }
    log.error("file is not valid UTF-8", at: SourceLocation(path: path, line: 1, column: 1))
}
