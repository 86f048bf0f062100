import ArgumentParser
import Foundation
import OptOutConfig
import OptOutCore
import OptOutDaemon

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Who has opted out of what, since when, and who has not: rows, summaries and metrics.",
        discussion: """
            One row per account, policy and action, with when, how and why it was done, the \
            deadline and the days it is overdue; then per policy and per region the accounts \
            covered and fully done, and per policy the share done week by week since it first \
            applied. --at shows the state at a past time from the records made by then. \
            --format prometheus prints metrics for node exporter's textfile collector. \
            --records lists the acknowledgement records themselves, oldest first: who \
            recorded which step as done or took it back, when, how and why.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    @Option(help: "table, csv, json, html (one self-contained page with charts) or prometheus.")
    var format: ComplianceFormat = .table

    @Option(help: "Report the state at this time (ISO 8601, such as 2025-10-27 or 2025-10-27T09:00:00+01:00).")
    var at: String?

    @Option(help: "Only this policy.")
    var policy: String?

    @Option(help: "Only accounts of this region (an ISO 3166-1 alpha-2 code, such as DE).")
    var region: String?

    @Flag(help: "Every acknowledgement record (done and undone) instead of the state: table, csv or json.")
    var records = false

    @Option(
        help: ArgumentHelp(
            "Write to this file instead of standard output.",
            discussion: "Written whole to a file beside it, then renamed: a reader never sees part of it."),
        completion: .file())
    var output: String?

    func validate() throws {
        if output?.isEmpty == true { throw ValidationError("--output needs the name of a file") }
        if records, ![.table, .csv, .json].contains(format) {
            throw ValidationError("--records comes as table, csv or json")
        }
    }

    func run() throws {
        let clock = currentInstant()
        let configuration = try options.load(now: clock)
        let instant = try at.map { try commandLineInstant($0, "--at", zone: configuration.defaultZone) } ?? clock
        var country: CountryCode?
        if let region {
            // Read as the configuration reads an account's region: UK is GB, a group is not one country.
            guard case .country(let code, _) = RegionName(region.uppercased()) else {
                standardError(
                    "optoutd: \(TerminalText.quoted(region)) is not a country code (ISO 3166-1 alpha-2, such as DE)")
                throw ExitCode.dataError
            }
            country = code
        }
        var acknowledgements: [Acknowledgement] = []
        var firstSeen: [String: Instant] = [:]
        var counts = StoreCounts()
        if try state.exists {
            let store = try state.open(.readOnly)
            acknowledgements = try store.acknowledgements()
            firstSeen = try store.firstSightings()
            if format == .prometheus { counts = try store.counts() }
        } else {
            state.warnThatThereIsNoStore(
                records ? "there are no records to list" : "the report shows what the configuration alone says")
        }
        // A policy left the catalog (renamed, withdrawn): its records can still be listed.
        if let policy, configuration.catalog[policy] == nil {
            guard records, acknowledgements.contains(where: { $0.policy == policy }) else {
                standardError("optoutd: unknown policy \(TerminalText.quoted(policy)) (optoutd catalog lists them)")
                throw ExitCode.dataError
            }
            standardError(
                "optoutd: warning: policy \(TerminalText.quoted(policy)) is no longer in the catalog; listing the records that name it"
            )
        }
        // Not for metrics: a collector's timer would repeat it every few minutes, for good.
        if format != .prometheus {
            Self.warnOfUnconfiguredAccounts(in: acknowledgements, configuration: configuration)
        }
        let bytes: [UInt8]
        if records {
            let log = AcknowledgementLog(
                configuration: configuration, records: acknowledgements, at: instant, policy: policy, region: country)
            bytes = (format == .csv ? log.csv : format == .json ? log.json : log.table).bytes
        } else {
            bytes = Self.bytes(
                of: ComplianceReport(
                    configuration: configuration, records: acknowledgements, firstSeen: firstSeen, at: instant,
                    policy: policy, region: country),
                format: format, counts: counts, configuration: configuration)
        }
        if let output {
            // Metrics are counts a collector running as a user of its own reads; every other
            // format names people and what they did, for whoever runs the report alone.
            try writeAtomically(bytes, to: output, permissions: format == .prometheus ? 0o644 : 0o600)
        } else {
            standardOutput(bytes)
        }
        OneShotMemory.exit()
    }

    /// Records of accounts since taken out of the configuration (or renamed) are in no row:
    /// the report says so, and where they are to be read.
    private static func warnOfUnconfiguredAccounts(in records: [Acknowledgement], configuration: Configuration) {
        var seen = Set<String>()
        let gone = records.map(\.account).filter { configuration.account(id: $0) == nil && seen.insert($0).inserted }
        guard let first = gone.first else { return }
        standardError(
            "optoutd: warning: the store holds acknowledgements of \(counted(gone.count, "account")) no longer configured (such as \(TerminalText.quoted(first))); report --records lists them"
        )
    }

    private static func bytes(
        of report: ComplianceReport, format: ComplianceFormat, counts: StoreCounts, configuration: Configuration
    ) -> [UInt8] {
        let zone = configuration.defaultZone
        let bytes: [UInt8]
        switch format {
        case .table: bytes = report.table.bytes
        case .csv: bytes = report.csv.bytes
        case .json: bytes = report.json(zone: zone).bytes
        case .html: bytes = report.html(zone: zone).bytes
        case .prometheus:
            bytes = ComplianceMetrics.exposition(of: report, counts: counts, channels: configuration.channels)
        }
        return bytes
    }

    /// Writes a file beside `path` with `permissions`, then renames it over `path`.
    private func writeAtomically(_ bytes: [UInt8], to path: String, permissions: Int) throws {
        // Renaming over a device, a FIFO or a folder would replace it with a file.
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            throw ValidationError("--output \(path) is not a regular file; name a file to write (or to replace)")
        }
        // A name of its own beside the file, not the file's name and more: that may be
        // longer than a file name can be.
        let folder = (path as NSString).deletingLastPathComponent
        let temporary =
            (folder.isEmpty ? "." : folder) + "/.optoutd-report-\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: permissions])
        else {
            standardError("optoutd: cannot write \(temporary): \(String(cString: strerror(errno)))")
            throw ExitCode.failure
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            standardError("optoutd: cannot rename \(temporary) to \(path): \(reason)")
            throw ExitCode.failure
        }
    }
}

/// Output formats of `report`.
enum ComplianceFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, html, prometheus
}
