import Logging
import OptOutConfig
import OptOutCore

/// Loads the configuration again for a process that runs on the one it has (`run` and
/// `serve`, on SIGHUP). What a start prints goes to the process's log instead: each warning
/// as an entry of its own, the errors of a rejected file together in one entry
/// (`MessageID.configurationRejected`, every error in `OPTOUT_CONFIG_ERRORS`).
public enum ConfigurationReload {
    /// Why a reload was rejected: the one line STATUS= shows.
    public struct Rejection: Error, Sendable, CustomStringConvertible {
        public let reason: String

        public init(_ reason: String) {
            self.reason = reason
        }

        public var description: String { reason }
    }

    /// The configuration `path` holds now, or why it cannot take over.
    public static func load(path: String, now: Instant, logger: Logger) -> Result<Configuration, Rejection> {
        let loaded = ConfigurationLoader(now: now).load(path: path)
        for warning in loaded.diagnostics where warning.severity == .warning {
            logger.warning("\(warning)")
        }
        guard let configuration = loaded.configuration else {
            let errors = loaded.diagnostics.filter { $0.severity == .error }.map(\.description)
            let count = loaded.errorCount
            return .failure(
                reject(
                    errors, summary: "reload rejected (\(count) error\(count == 1 ? "" : "s")): \(errors.first ?? "")",
                    logger: logger))
        }
        return .success(configuration)
    }

    /// Logs that a configuration cannot take over because of `problems` (the one entry
    /// described above), and returns the rejection `summary` names.
    public static func reject(_ problems: [String], summary: String, logger: Logger) -> Rejection {
        logger.error(
            "configuration rejected, the running one stays in force: \(problems.joined(separator: "; "))",
            metadata: [
                "MESSAGE_ID": "\(MessageID.configurationRejected)",
                "OPTOUT_CONFIG_ERRORS": "\(problems.joined(separator: "\n"))",
            ])
        return Rejection(summary)
    }
}
