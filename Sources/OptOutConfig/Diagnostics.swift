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
///
/// At most `ConfigurationLimits.diagnosticsPerFile` errors of one file are kept; the rest
/// are counted and summed up in one last error for that file, so that a hostile or
/// badly broken file cannot flood the terminal or the journal.
final class DiagnosticLog {
    private var kept: [Diagnostic] = []
    /// Errors per file: kept and dropped.
    private var errorsPerFile: [String: (kept: Int, dropped: Int, last: SourceLocation)] = [:]
    /// Warnings kept per file; warnings past the limit are dropped without a count.
    private var warningsPerFile: [String: Int] = [:]

    /// What was reported, with a summary for each file whose errors went past the limit.
    var diagnostics: [Diagnostic] {
        kept
            + errorsPerFile.filter { $0.value.dropped > 0 }.sorted { $0.key < $1.key }.map { path, count in
                Diagnostic(
                    .error, "… and \(count.dropped) more error\(count.dropped == 1 ? "" : "s") in this file",
                    at: count.last)
            }
    }

    /// The ids of definitions left out for their errors, in order: a later definition of
    /// the same id is still a duplicate, and is reported as one in the same run.
    private(set) var rejectedIDs: [Located<String>] = []

    var hasErrors: Bool { errorCount > 0 }
    /// Every error reported, kept or not.
    private(set) var errorCount = 0

    func error(_ message: String, at location: SourceLocation) {
        errorCount += 1
        var count = errorsPerFile[location.path] ?? (0, 0, location)
        if count.kept < ConfigurationLimits.diagnosticsPerFile {
            count.kept += 1
            kept.append(Diagnostic(.error, message, at: location))
        } else {
            count.dropped += 1
            count.last = location
        }
        errorsPerFile[location.path] = count
    }

    /// Notes that the definition of `id` was left out for its errors (reported already).
    func reject(_ id: Located<String>) {
        rejectedIDs.append(id)
    }

    func warning(_ message: String, at location: SourceLocation) {
        let count = warningsPerFile[location.path, default: 0]
        guard count < ConfigurationLimits.diagnosticsPerFile else { return }
        warningsPerFile[location.path] = count + 1
        kept.append(Diagnostic(.warning, message, at: location))
    }

    /// What a log holds, to be handed from the thread that filled it to another.
    struct Snapshot: Sendable {
        var kept: [Diagnostic]
        /// Errors not kept, per file: how many, and where the last was.
        var dropped: [String: (count: Int, last: SourceLocation)]
        var rejectedIDs: [Located<String>]
    }

    var snapshot: Snapshot {
        Snapshot(
            kept: kept,
            dropped: errorsPerFile.filter { $0.value.dropped > 0 }.mapValues { ($0.dropped, $0.last) },
            rejectedIDs: rejectedIDs)
    }

    /// Takes on the diagnostics of a log kept apart (such as a thread's), after its own.
    func append(_ other: Snapshot) {
        for diagnostic in other.kept {
            switch diagnostic.severity {
            case .error: error(diagnostic.message, at: diagnostic.location)
            case .warning: warning(diagnostic.message, at: diagnostic.location)
            }
        }
        for (path, count) in other.dropped {
            errorCount += count.count
            var mine = errorsPerFile[path] ?? (0, 0, count.last)
            mine.dropped += count.count
            mine.last = count.last
            errorsPerFile[path] = mine
        }
        rejectedIDs += other.rejectedIDs
    }

    /// Reports a string that holds a control character, a line separator or a bidirectional
    /// override where a single line is required (such values may end up in mail headers),
    /// or that is longer than `maximumLength` characters. Returns whether it is clean.
    ///
    /// - Parameter isPrintableASCII: the text is known to hold printable ASCII alone (its
    ///   reader checked the bytes it comes from), so only its length is checked.
    @discardableResult
    func requireSingleLine(
        _ text: Located<String>, _ what: String, allowNewlines: Bool = false,
        maximumLength: Int = ConfigurationLimits.lineLength, isPrintableASCII: Bool = false
    ) -> Bool {
        if !isPrintableASCII, let bad = TextChecks.forbiddenScalar(in: text.value, allowNewlines: allowNewlines) {
            error(
                "\(what) contains \(TextChecks.kind(of: bad)) (\(TextChecks.name(of: bad))); it must be \(allowNewlines ? "plain text" : "a single line of text")",
                at: text.location)
            return false
        }
        // Counting characters walks the string: the byte count answers for short text.
        if text.value.utf8.count > maximumLength, text.value.count > maximumLength {
            error("\(what) is longer than \(maximumLength) characters", at: text.location)
            return false
        }
        return true
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
    // Non-blocking, so that a FIFO or a device cannot hold the open (a FIFO with no writer
    // blocks it forever); what is not a regular file is refused before any read.
    let file = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard file >= 0 else {
        return cannotRead(
            errno == ENOENT ? "no such file" : errno == EACCES ? "permission denied" : String(cString: strerror(errno)))
    }
    defer { close(file) }
    var status = stat()
    guard fstat(file, &status) == 0 else { return cannotRead(String(cString: strerror(errno))) }
    guard status.st_mode & S_IFMT == S_IFREG else {
        return cannotRead(status.st_mode & S_IFMT == S_IFDIR ? "it is a directory" : "not a regular file")
    }
    guard Int(status.st_size) <= ConfigurationLimits.fileSize else {
        return cannotRead("larger than \(ConfigurationLimits.fileSize >> 20) MiB")
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
