import ArgumentParser
import Foundation
import OptOutConfig
import OptOutCore
import OptOutDaemon

/// `--config PATH`, shared by every command, and loading it the same way everywhere.
struct ConfigOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file.",
            discussion: "Default: $CONFIGURATION_DIRECTORY/optoutd.yaml, else /etc/optoutd/optoutd.yaml."),
        completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    var path: String {
        if let config { return config }
        // systemd joins the folders of several ConfigurationDirectory= entries with ':'.
        if let directories = ProcessInfo.processInfo.environment["CONFIGURATION_DIRECTORY"],
            let first = directories.split(separator: ":").first
        {
            return first + "/optoutd.yaml"
        }
        return "/etc/optoutd/optoutd.yaml"
    }

    /// `path` as messages show it: a file name may hold a line break or an escape sequence.
    var shownPath: String { TerminalText.oneLine(path) }

    /// Loads the configuration, printing every diagnostic to standard error; exits 78 on errors.
    func load(now: Instant) throws -> Configuration {
        let loaded = ConfigurationLoader(now: now).load(path: path)
        for diagnostic in loaded.diagnostics {
            standardError(diagnostic.description)
        }
        guard let configuration = loaded.configuration else {
            let count = loaded.errorCount
            standardError("optoutd: \(shownPath): \(count) error\(count == 1 ? "" : "s"); configuration not loaded")
            throw ExitCode.invalidConfiguration
        }
        return configuration
    }
}

extension ExitCode {
    /// sysexits EX_DATAERR: bad data on the command line, such as an unknown account.
    static let dataError = ExitCode(65)
    /// sysexits EX_UNAVAILABLE: a channel could not be reached.
    static let unavailable = ExitCode(69)
    /// sysexits EX_TEMPFAIL: another instance holds the state store's lock.
    static let storeInUse = ExitCode(75)
    /// sysexits EX_CONFIG.
    static let invalidConfiguration = ExitCode(78)
}

/// Output formats of `plan`.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, ics
}

/// Output formats of `status` and `catalog`.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

func standardError(_ line: String) {
    StandardStreams.writeError(line + "\n")
}

func standardOutput(_ text: String) {
    standardOutput(Array(text.utf8))
}

func standardOutput(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { standardOutput($0) }
}

/// Writes a command's output. Output that cannot be written (a full disk, a closed pipe)
/// ends the command with status 1 and says why, rather than ending with 0 and less than
/// was asked for.
func standardOutput(_ bytes: UnsafeRawBufferPointer) {
    if let failure = StandardStreams.write(bytes, to: STDOUT_FILENO) {
        standardError("optoutd: cannot write the output: \(String(cString: strerror(failure)))")
        exit(EXIT_FAILURE)
    }
}

/// A time given on the command line (`--now`, `--at`): ISO 8601, in a year optoutd knows.
func commandLineInstant(_ text: String, _ option: String, zone: Zone) throws -> Instant {
    guard let instant = Instant(iso: text, defaultZone: zone) else {
        throw ValidationError("\(option) must be an ISO 8601 date or date-time, such as 2025-10-27T09:00:00+01:00")
    }
    let years = ConfigurationLimits.years
    let latest = ConfigurationLimits.latestInstant
    guard years.contains(Zone.utc.localDate(of: instant).components.year), instant < latest else {
        throw ValidationError(
            "\(option) must fall in the years \(years.lowerBound) to \(years.upperBound) (in UTC), before \(Zone.utc.rfc3339(latest)); \(TerminalText.quoted(text)) does not"
        )
    }
    return instant
}

/// The wall clock: read here, at the edge, and handed to the pure core.
func currentInstant() -> Instant {
    Instant(Date())
}
