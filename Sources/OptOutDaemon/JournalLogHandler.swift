import Foundation
import Logging

/// A swift-log backend that writes the daemon's own diagnostics to the journal.
///
/// The level becomes `PRIORITY`, metadata keys become journal fields (sanitised), and
/// the label is the `SYSLOG_IDENTIFIER`. Without a journal socket, lines go to standard
/// error with a `<N>` priority prefix, which journald and systemd also understand.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let identifier: String
    private let journal: Journal?

    public init(label: String, journal: Journal? = Journal.isAvailable ? Journal() : nil) {
        self.identifier = label
        self.journal = journal
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        let priority = Self.priority(event.level)
        if let journal {
            var entry: [(name: String, value: String)] = [
                ("MESSAGE", "\(event.message)"), ("PRIORITY", String(priority)), ("SYSLOG_IDENTIFIER", identifier),
            ]
            entry += fields.sorted { $0.key < $1.key }.map { (Journal.fieldName($0.key), "\($0.value)") }
            if (try? journal.send(entry, file: event.file, line: Int(event.line), function: event.function)) != nil {
                return
            }
        }
        let details =
            fields.isEmpty
            ? "" : " " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        StandardStreams.writeError("<\(priority)>\(event.message)\(details)\n")
    }

    /// syslog priorities: 7 debug, 6 info, 5 notice, 4 warning, 3 err, 2 crit.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
