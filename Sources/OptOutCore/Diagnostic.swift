/// A place in a file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }

    /// The place of byte `offset` of `text` in the file at `path`: lines are counted from 1
    /// at each LF, columns from 1 in Unicode scalars.
    public init(path: String, offset: Int, in text: UnsafeBufferPointer<UInt8>) {
        let before = UnsafeBufferPointer(rebasing: text[..<offset])
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        // A scalar starts at every byte that is not a UTF-8 continuation byte.
        self.init(
            path: path, line: 1 + before.count { $0 == UInt8(ascii: "\n") },
            column: 1 + before[lineStart...].count { $0 & 0xC0 != 0x80 })
    }
}

/// A problem found in a configuration, inventory or catalog file.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    /// Compiler style: `PATH:LINE:COLUMN: error: MESSAGE`, on one line and safe to print: a
    /// file name may hold a line break or an escape sequence, and so may a path a message
    /// names.
    public var description: String { TerminalText.oneLine("\(location): \(severity.rawValue): \(message)") }
}

/// A configuration that cannot be used, with every error found (and any warnings).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
