import Foundation
import OptOutCore
import Testing

@testable import OptOutConfig

#if canImport(Glibc)
    import Glibc
#endif

/// Configurations a careless operator or a hostile user would write: every value outside
/// its bounds is a located error (never an overflow, a hang or a flood), and values that
/// would mean something else than they seem get a warning.
@Suite struct HostileConfigurationTests {
    let directory = TemporaryDirectory()

    func load(_ yaml: String) -> (Configuration?, [String]) {
        let path = directory.write("optoutd.yaml", yaml)
        let loaded = ConfigurationLoader().load(path: path)
        return (
            loaded.configuration,
            loaded.diagnostics.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
        )
    }

    static let base = "version: 1\ntimezone: UTC\ndefaults: {platform: linkedin}\n"

    @Test(arguments: [
        // Durations that used to overflow (SIGILL) in check, in a reload, or at the first hook run.
        (
            "channels:\n  hooks:\n    - {name: h, command: [/bin/true], timeout: 99999999999999999h}",
            "optoutd.yaml:6:48: error: timeout must be a duration such as 30s, 5m or 1h, from 1s to 1h, not '99999999999999999h'"
        ),
        (
            "channels:\n  webhooks:\n    - {name: w, url: \"http://127.0.0.1:1/\", timeout: 999999999999999999m}",
            "optoutd.yaml:6:54: error: timeout must be a duration such as 30s, 5m or 1h, from 1s to 1h, not '999999999999999999m'"
        ),
        (
            "channels:\n  hooks:\n    - {name: h, command: [/bin/true], timeout: 10000000000000000s}",
            "optoutd.yaml:6:48: error: timeout must be a duration such as 30s, 5m or 1h, from 1s to 1h, not '10000000000000000s'"
        ),
        (
            "channels:\n  hooks:\n    - {name: h, command: [/bin/true], timeout: +5s}",
            "optoutd.yaml:6:48: error: timeout must be a duration such as 30s, 5m or 1h, from 1s to 1h, not '+5s'"
        ),
        (
            "reminders: {lead_times: [3651d]}",
            "optoutd.yaml:4:26: error: a lead time must be a duration such as 30d, 2w or 12h, from 1h to 3650d, not '3651d'"
        ),
        (
            "channels: {give_up_after: 99999999w}",
            "optoutd.yaml:4:27: error: give_up_after must be a duration such as 30d, 2w or 12h, from 1h to 3650d, not '99999999w'"
        ),
        // URLs and transports.
        (
            "channels:\n  webhooks:\n    - {name: w, url: \"http:///hook\"}",
            "optoutd.yaml:6:22: error: url 'http:///hook' has no host"
        ),
        (
            "channels:\n  webhooks:\n    - {name: w, url: \"http://127.0.0.1:99999/hook\"}",
            "optoutd.yaml:6:22: error: url 'http://127.0.0.1:99999/hook' has port 99999; ports are 1 to 65535"
        ),
        (
            "channels:\n  email: {from: a@example.org, transport: \"smtp://user:pass@127.0.0.1\"}",
            "optoutd.yaml:5:43: error: transport 'smtp://user:pass@127.0.0.1' must not hold a user name or password: secrets come from credentials, never from optoutd.yaml"
        ),
        (
            "channels:\n  email: {from: a@example.org, transport: smtp://127.0.0.1, cc: [\"jörg@example.org\"]}",
            "optoutd.yaml:5:66: error: 'jörg@example.org' is not plain ASCII; optoutd sends mail without SMTPUTF8, so write the domain in its ASCII (xn--) form"
        ),
        // Text that would break a header or a terminal line.
        (
            "accounts:\n  - {id: a, region: DE, name: \"Ann\\u0085Lee\"}",
            "optoutd.yaml:5:31: error: the name contains a control character (U+0085); it must be a single line of text"
        ),
        (
            "accounts:\n  - {id: a, region: DE, name: \"Ann\\u2029Lee\"}",
            "optoutd.yaml:5:31: error: the name contains a paragraph separator (U+2029); it must be a single line of text"
        ),
        (
            "accounts:\n  - {id: a, region: DE, name: \"Ann\\u200BLee\"}",
            "optoutd.yaml:5:31: error: the name contains an invisible character (U+200B); it must be a single line of text"
        ),
        (
            "accounts:\n  - {id: a, region: DE, name: \"Ann\\u202ELee\"}",
            "optoutd.yaml:5:31: error: the name contains a bidirectional control (U+202E); it must be a single line of text"
        ),
        (
            "accounts:\n  - {id: \"-h\", region: DE}",
            "optoutd.yaml:5:10: error: account id '-h' must start with a letter or a digit"
        ),
        (
            "accounts:\n  - {id: a, region: DE, name: \(String(repeating: "x", count: 257))}",
            "optoutd.yaml:5:31: error: the name is longer than 256 characters"
        ),
        (
            "accounts:\n  - {id: \(String(repeating: "a", count: 129)), region: DE}",
            "optoutd.yaml:5:10: error: the account id is longer than 128 characters"
        ),
        // Dates iCalendar and people cannot write.
        (
            "policies:\n  - {id: p, platform: linkedin, title: T, effective: 0000-11-23, regions: [DE], actions: [{id: x, title: X, where: W}]}",
            "optoutd.yaml:5:54: error: the effective date must be a date (YYYY-MM-DD) from 1900 to 9999, not '0000-11-23'"
        ),
        // Tags outside the core schema are not silently read as text.
        (
            "accounts:\n  - {id: a, region: DE, name: !!binary aGVsbG8=}",
            "optoutd.yaml:5:31: error: invalid YAML: the YAML tag '!!binary' is not supported; write plain values without tags"
        ),
        // A time zone whose sign means opposite things to POSIX and to the zone library.

    ])
    func outOfBoundsValuesAreLocatedErrors(snippet: String, error: String) {
        let (configuration, diagnostics) = load(Self.base + snippet)
        #expect(configuration == nil)
        #expect(diagnostics.contains(error), "\(diagnostics)")
    }

    @Test func ambiguousAndLegacyZonesAreCalledOut() {
        let (rejected, errors) = load("version: 1\ntimezone: GMT+5\ndefaults: {platform: linkedin}\n")
        #expect(rejected == nil)
        #expect(
            errors == [
                "optoutd.yaml:2:11: error: time zone 'GMT+5' is ambiguous (its sign is read both ways); name a place such as Asia/Karachi, or write Etc/GMT-5 for five hours east of UTC"
            ])
        let (loaded, warnings) = load(
            Self.base
                + "accounts:\n  - {id: a, region: US, timezone: EST5EDT}\n  - {id: b, region: PK, timezone: Etc/GMT-5}")
        #expect(loaded != nil)
        #expect(
            warnings == [
                "optoutd.yaml:5:35: warning: 'EST5EDT' is a legacy POSIX-style zone; name a place such as America/New_York instead",
                "optoutd.yaml:6:35: warning: 'Etc/GMT-5' is 5 hours east of UTC (POSIX signs are inverted)",
            ])
    }

    @Test func aDeadlineBeforeTheEffectiveDateIsAWarning() {
        let (configuration, diagnostics) = load(
            Self.base
                + "policies:\n  - {id: p, platform: linkedin, title: T, effective: 2026-05-27, deadline: 2026-05-01, regions: [DE], actions: [{id: x, title: X, where: W}]}"
        )
        #expect(configuration != nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:5:5: warning: policy 'p': the deadline (2026-05-01) is before the effective date (2026-05-27); reminders count down to the deadline"
            ])
    }

    @Test func aRejectedValueIsQuotedAtMostEightyCharactersLong() {
        let long = String(repeating: "z", count: 500)
        let (_, diagnostics) = load(Self.base + "reminders: {at: \(long)}")
        #expect(
            diagnostics == ["optoutd.yaml:4:17: error: at must be a time of day (HH:MM), not '\(long.prefix(80))…'"])
    }

    @Test func aFileReportsAtMostAHundredErrorsAndCountsTheRest() {
        let accounts = (0..<250).map { "  - {id: a\($0), region: XX}" }.joined(separator: "\n")
        let (configuration, diagnostics) = load(Self.base + "accounts:\n" + accounts)
        #expect(configuration == nil)
        #expect(diagnostics.count == 101)
        #expect(diagnostics.last == "optoutd.yaml:254:24: error: … and 150 more errors in this file")
        let path = directory.write("optoutd.yaml", Self.base + "accounts:\n" + accounts)
        #expect(ConfigurationLoader().load(path: path).errorCount == 250)
    }

    /// libyaml's reader gives only the offset of a byte it refuses: the place is counted from it.
    @Test func aControlByteInYAMLIsReportedWhereItIs() {
        let (_, diagnostics) = load(Self.base + "accounts:\n  - {id: a, region: DE, name: \"Ä x\u{1B}[2J\"}")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.hasPrefix("optoutd.yaml:5:35: error: ") == true, "\(diagnostics)")
    }

    /// What a file or the command line holds is shown safely in messages: controls,
    /// direction changes and invisible characters are `?`, and zero-width spaces are errors.
    @Test func outsideTextInMessagesCannotActOnTheTerminal() {
        let header = directory.write("accounts.csv", "id,reg\u{1B}[31mion,we\u{202E}rd\nx,DE,y\n")
        let (_, diagnostics) = load(Self.base + "accounts_files: [\(header)]")
        #expect(
            diagnostics.contains(
                "accounts.csv:1:4: error: unknown column 'reg?[31mion'; expected: id, platform, region, email, name, timezone, done, language, manager"
            ), "\(diagnostics)")
        #expect(
            diagnostics.contains { $0.hasPrefix("accounts.csv:1:16: error: unknown column 'we?rd'") }, "\(diagnostics)")
        let (_, zone) = load(Self.base + "accounts:\n  - {id: a, region: DE, timezone: \"Europe/Berlin\u{200B}\"}")
        #expect(zone.count == 1)
        #expect(zone.first?.contains("U+200B") == true, "\(zone)")
        #expect(TerminalText.quoted("a\u{202E}b\u{FEFF}c\u{200D}d") == "'a?b?c\u{200D}d'")
        // A quote inside cannot end the quoted value early.
        #expect(TerminalText.quoted("it's") == "\"it's\"")
        #expect(TerminalText.quoted(#"it's "x" \"#) == #"'it\'s "x" \\'"#)
        #expect(TerminalText.quoted("plain") == "'plain'")
        #expect(TerminalText.oneLine("ok\r\nnext\tx\u{202E}") == "ok ↵ next\\u{9}x\\u{202E}")
    }

    /// One anchored mapping repeated by aliases thousands of times over: it took minutes and
    /// gigabytes and printed millions of errors. The node budget ends it at once, with one error.
    @Test func aliasesCannotMultiplyADocument() {
        var yaml = "a0: &a0 {k: [x, x, x, x, x, x, x, x, x, x]}\n"
        for level in 1..<8 {
            let previous = (0..<10).map { _ in "*a\(level - 1)" }.joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(previous)]\n"
        }
        let clock = ContinuousClock()
        var result: (Configuration?, [String]) = (nil, [])
        let elapsed = clock.measure { result = load(yaml) }
        #expect(result.0 == nil)
        #expect(result.1.count == 1)
        #expect(result.1.first?.contains("aliases expand the document to more than") == true, "\(result.1)")
        #expect(elapsed < .seconds(10))
    }

    /// A FIFO (or any other file that is not a regular one) where a file is named is refused
    /// at once: opening it used to block forever, and with it a reload and SIGTERM.
    @Test func fifosAreRefusedWithoutBlocking() throws {
        let fifo = directory.path + "/policies.d/fifo.yaml"
        try FileManager.default.createDirectory(
            atPath: directory.path + "/policies.d", withIntermediateDirectories: true)
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(mkfifo(directory.path + "/accounts.csv", 0o600) == 0)
        let (configuration, diagnostics) = load(
            Self.base + "catalog: {include: [policies.d/*.yaml]}\naccounts_files: [accounts.csv]")
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "policies.d/fifo.yaml:1:1: error: cannot read policies.d/fifo.yaml: not a regular file",
                "optoutd.yaml:5:18: error: cannot read accounts.csv: not a regular file",
            ])
        let asConfig = ConfigurationLoader().load(path: fifo)
        #expect(asConfig.configuration == nil)
        #expect(asConfig.diagnostics.map(\.message) == ["cannot read \(fifo): not a regular file"])
    }
}
