import Foundation
import Testing

/// The `check`, `plan` and `catalog` commands, run as the built binary.
@Suite struct CommandTests {
    let example = Optoutd.exampleConfig

    @Test func versionAndHelp() throws {
        let version = try Optoutd.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        for command in ["run", "check", "plan", "status", "ack", "catalog", "test-notify"] {
            let help = try Optoutd.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("--config"))
        }
        let planHelp = try Optoutd.run(["help", "plan"])
        #expect(planHelp.status == 0)
        #expect(planHelp.stdout.contains("--days"))
        // A name that is no command is a usage error, not the top-level help with success.
        for arguments in [["help", "bogus"], ["help", "catalog", "bogus"]] {
            let unknown = try Optoutd.run(arguments)
            #expect(unknown.status == 64, "\(arguments)")
            #expect(unknown.stdout.isEmpty)
            #expect(unknown.stderr.contains("Unknown command 'bogus'"), "\(unknown.stderr)")
        }
    }

    /// Shell completion offers each command's formats, and no format it would refuse.
    @Test func completionsOfferOnlyFormatsACommandPrints() throws {
        let script = try Optoutd.run(["--generate-completion-script", "bash"]).stdout
        func formats(of command: String) -> String? {
            guard let start = script.range(of: "_optoutd_\(command)() {") else { return nil }
            let rest = script[start.upperBound...]
            let body = rest[..<(rest.range(of: "\n_optoutd_")?.lowerBound ?? rest.endIndex)]
            guard let option = body.range(of: "'--format')") else { return nil }
            return body[option.upperBound...].split(separator: "\n").first.map(String.init)
        }
        #expect(formats(of: "plan")?.contains("'ics'") == true)
        for command in ["status", "catalog"] {
            let offered = try #require(formats(of: command))
            #expect(offered.contains("'table'") && offered.contains("'json'"))
            #expect(!offered.contains("'ics'"), "\(command): \(offered)")
        }
    }

    @Test func checkPrintsOneSummaryLine() throws {
        let result = try Optoutd.run(["check", "--config", example])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(
            lines.first?.contains("ok: 8 accounts, 19 policies, 18 pending pairs; next notice policy-applies for alice")
                == true)
    }

    /// Without `timezone`, the zone is `$TZ` as the C library reads it; one it cannot use
    /// is said, never taken for UTC unseen.
    @Test func theSystemZoneComesFromTZInEveryFormTheCLibraryReads() throws {
        let directory = try scratchFolder("optoutd-tz")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("optoutd.yaml").path
        try "version: 1\ndefaults: {platform: linkedin}\naccounts:\n  - {id: a, region: DE}\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        func plan(tz: String) throws -> Optoutd.Result {
            try Optoutd.run(
                ["plan", "--config", config, "--days", "1", "--now", "2027-01-15T12:00"], environment: ["TZ": tz])
        }
        for tz in [":Asia/Tokyo", "/usr/share/zoneinfo/Asia/Tokyo"] {
            let result = try plan(tz: tz)
            #expect(result.stdout.contains("2027-01-15T12:00:00+09:00"), "\(tz): \(result.stdout)")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
        }
        let unusable = try plan(tz: "CET-1CEST,M3.5.0,M10.5.0/3")
        #expect(unusable.status == 0)
        #expect(unusable.stdout.contains("2027-01-15T12:00:00Z"))
        #expect(
            unusable.stderr.contains(
                "optoutd.yaml:1:1: warning: no timezone is set, and $TZ ('CET-1CEST,M3.5.0,M10.5.0/3') names no zone of the time zone database; UTC is used: set timezone, such as Europe/Berlin"
            ), "\(unusable.stderr)")
    }

    @Test func checkReportsEveryErrorAndExits78() throws {
        let directory = try scratchFolder("optoutd-check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("optoutd.yaml")
        try "version: 1\ntimezone: UTC\nreminders: {at: \"25:00\"}\naccounts_files: [accounts.csv]\n".write(
            to: config, atomically: true, encoding: .utf8)
        try "id,region,platform\nann,ZZ,linkedin\nann,DE,linkedin\n".write(
            to: directory.appendingPathComponent("accounts.csv"), atomically: true, encoding: .utf8)
        let result = try Optoutd.run(["check", "--config", config.path])
        #expect(result.status == 78)
        #expect(result.stdout.isEmpty)
        let csv = directory.appendingPathComponent("accounts.csv").path
        #expect(
            result.stderr.split(separator: "\n").map(String.init) == [
                "\(config.path):3:17: error: at must be a time of day (HH:MM), not '25:00'",
                "\(csv):2:5: error: unknown region 'ZZ'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "\(csv):2:1: error: account id 'ann' is also defined at \(csv):3:1",
                "optoutd: \(config.path): 3 errors; configuration not loaded",
            ])
        let missing = try Optoutd.run(["check", "--config", directory.appendingPathComponent("nope.yaml").path])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("nope.yaml:1:1: error: cannot read"))
    }

    @Test func planAsJSONHasItsDocumentedKeysAndIsDeterministic() throws {
        let arguments = [
            "plan", "--config", example, "--now", "2025-10-01T12:00:00+02:00", "--days", "39", "--format", "json",
        ]
        let result = try Optoutd.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count > 20)
        for entry in entries {
            #expect(
                Set(entry.keys).isSuperset(of: [
                    "at", "account", "platform", "region", "policy", "event", "effective", "deadline", "days_left",
                    "pending",
                    "late", "channels",
                ]))
        }
        let alice = entries.filter { $0["account"] as? String == "alice" }
        #expect(
            alice.map { $0["event"] as? String } == [
                "policy-applies", "deadline-reminder", "deadline-reminder", "deadline-reminder", "deadline-reminder",
                "policy-effective",
            ])
        #expect(
            alice.map { $0["at"] as? String } == [
                "2025-10-01T12:00:00+02:00", "2025-10-04T09:00:00+02:00", "2025-10-20T09:00:00+02:00",
                "2025-10-27T09:00:00+01:00", "2025-11-02T09:00:00+01:00", "2025-11-03T09:00:00+01:00",
            ])
        #expect(alice.map { $0["days_left"] as? Int } == [33, 30, 14, 7, 1, 0])
        #expect(alice.first?["pending"] as? [String] == ["objection-form"])
        #expect(alice.first?["deadline"] as? String == "2025-11-03")
        #expect(alice.first?["channels"] as? [String] == ["journal"])
        #expect(alice.first?["late"] as? Bool == false)
        #expect(try Optoutd.run(arguments).stdout == result.stdout)
    }

    @Test func planForOneAccountAsATable() throws {
        let result = try Optoutd.run([
            "plan", "--config", example, "--now", "2025-10-01", "--days", "5", "--account", "carol",
        ])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("AT") == true)
        #expect(lines.dropFirst().allSatisfy { $0.contains(" carol ") })
        // The header, four policy-applies (the 2024 change until Canada's pause, and three of
        // 2025), and 30-day reminders on 2025-10-04 for the three whose deadline is ahead.
        #expect(lines.count == 1 + 4 + 3)
        let unknown = try Optoutd.run(["plan", "--config", example, "--account", "mallory"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("unknown account 'mallory'"))
        // Ids are case-sensitive: one written in another case is answered with the id there is.
        for arguments in [
            ["plan", "--config", example, "--account", "Carol"], ["link", "Carol", "--config", example],
            ["ack", "Carol", "ai-improvement-toggle", "--config", example, "--state", "/nonexistent/state.sqlite"],
        ] {
            let other = try Optoutd.run(arguments)
            #expect(other.status == 65, "\(arguments)")
            #expect(other.stderr == "optoutd: unknown account 'Carol'; did you mean 'carol'?\n", "\(arguments)")
        }
    }

    @Test(arguments: [
        ["--days", "-1"], ["--now", "next tuesday"], ["--format", "pdf"], ["--bogus"], ["--include-past"],
        ["--format", "json", "--include-past"],
    ])
    func planUsageErrorsExit64(arguments: [String]) throws {
        let result = try Optoutd.run(["plan", "--config", example] + arguments)
        #expect(result.status == 64, "\(result.stderr)")
    }

    /// Output that cannot be written is an error, not a plan cut short that exits 0.
    @Test func outputThatCannotBeWrittenExits1() throws {
        let noStore = ["--state", "/nonexistent/state.sqlite"]
        for command in [["plan"] + noStore, ["catalog"], ["report"] + noStore] {
            let result = try Optoutd.runTool(
                "/bin/sh",
                ["-c", #"exec "$0" "$@" > /dev/full"#, Optoutd.executable.path] + command + ["--config", example])
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("optoutd: cannot write the output: No space left on device"), "\(command)")
        }
    }

    /// A time out of range says so, rather than that it is not a date.
    @Test func aNowOutOfRangeSaysWhichYearsAreAllowed() throws {
        let result = try Optoutd.run(["plan", "--config", example, "--now", "1900-01-01T00:30:00+01:00"])
        #expect(result.status == 64)
        #expect(
            result.stderr.contains(
                "--now must fall in the years 1900 to 9999 (in UTC), before 9999-12-31T10:00:00Z; '1900-01-01T00:30:00+01:00' does not"
            ),
            "\(result.stderr)")
        #expect(try Optoutd.run(["plan", "--config", example, "--now", "1900-01-01T00:30:00Z"]).status == 0)
        // Shown in a zone 14 hours east, its local time would have a five-digit year.
        #expect(try Optoutd.run(["plan", "--config", example, "--now", "9999-12-31T12:00:00Z"]).status == 64)
        // A plan from the last days stops there: no row shows a five-digit year.
        for format in ["table", "json"] {
            let late = try Optoutd.run([
                "plan", "--config", example, "--now", "9999-12-01T00:00:00Z", "--days", "365", "--format", format,
            ])
            #expect(late.status == 0, "\(late.stderr)")
            #expect(late.stdout.contains("9999-12-"))
            #expect(!late.stdout.contains("10000-"), "\(format)")
        }
    }

    @Test func planAsICalendar() throws {
        let arguments = ["plan", "--config", example, "--account", "bob", "--format", "ics", "--now", "2025-10-01"]
        let result = try Optoutd.run(arguments)
        #expect(result.status == 0)
        let ics = result.stdout
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
        // bob (GB): genai 2025 and affiliate sharing are ahead; the 2024 change (until the
        // UK's pause) is past and left out.
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == 2)
        #expect(ics.contains("DTSTART;VALUE=DATE:20251102\r\n"))
        #expect(!ics.contains("DTSTART;VALUE=DATE:20240917\r\n"))
        #expect(ics.contains("UID:bob/linkedin-affiliate-ai-sharing-2025@optoutd\r\n"))
        // Each event has an alarm and the link of its first step.
        #expect(ics.components(separatedBy: "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:").count - 1 == 2)
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("URL:https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement\r\n"))
        for line in ics.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(!line.contains("\n"))
        }
        let all = try Optoutd.run(arguments + ["--include-past"]).stdout
        #expect(all.components(separatedBy: "BEGIN:VEVENT").count - 1 == 3)
        #expect(all.contains("DTSTART;VALUE=DATE:20240917\r\n"))
        #expect(all.contains("UID:bob/linkedin-genai-training-2024-gb@optoutd\r\n"))
    }

    @Test func catalogListsTheShippedLinkedInPolicies() throws {
        let result = try Optoutd.run(["catalog", "--config", example, "--format", "json", "--platform", "linkedin"])
        #expect(result.status == 0, "\(result.stderr)")
        let policies = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: policies.map { ($0["id"] as! String, $0) })
        #expect(
            byID.keys.sorted() == [
                "linkedin-ads-sharing-2025", "linkedin-affiliate-ai-sharing-2025", "linkedin-genai-training-2024",
                "linkedin-genai-training-2024-ca", "linkedin-genai-training-2024-gb", "linkedin-genai-training-2024-hk",
                "linkedin-genai-training-2025",
            ])
        func actions(_ id: String) -> [String] {
            (byID[id]?["actions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        }
        #expect(actions("linkedin-genai-training-2025") == ["ai-improvement-toggle", "objection-form"])
        #expect(
            actions("linkedin-ads-sharing-2025") == [
                "share-with-affiliates", "ads-off-linkedin", "data-from-others", "measure-ad-success",
                "microsoft-privacy",
            ])
        #expect(byID["linkedin-genai-training-2025"]?["effective"] as? String == "2025-11-03")
        #expect(byID["linkedin-genai-training-2024"]?["effective"] as? String == "2024-09-18")
        #expect(byID["linkedin-genai-training-2024"]?["except"] as? [String] == ["EU", "EEA", "CH", "GB", "CA", "HK"])
        for paused in ["gb": "GB", "hk": "HK", "ca": "CA"] {
            #expect(byID["linkedin-genai-training-2024-\(paused.key)"]?["regions"] as? [String] == [paused.value])
        }
        #expect(byID["linkedin-affiliate-ai-sharing-2025"]?["regions"] as? [String] == ["GB", "CA", "HK"])
        let countries = byID["linkedin-genai-training-2025"]?["countries"] as? [String] ?? []
        #expect(countries.count == 30 + 4)
        // The help article is cited by its title, and the 2025 date by the Terms of Service notice.
        let sources = byID["linkedin-genai-training-2025"]?["sources"] as? [[String: Any]] ?? []
        #expect(
            sources.contains {
                $0["url"] as? String == "https://www.linkedin.com/help/linkedin/answer/a6278444"
                    && $0["title"] as? String
                        == "Control whether LinkedIn uses your data to improve generative AI (GAI) models that are used for content creation on LinkedIn"
            })
        #expect(sources.contains { ($0["url"] as? String)?.hasSuffix("/answer/a8059228") == true })
        for policy in policies {
            #expect(!(policy["data_used"] as? [String] ?? []).isEmpty)
            for action in policy["actions"] as? [[String: Any]] ?? [] {
                #expect((action["where"] as? String)?.isEmpty == false)
                if let url = action["url"] as? String { #expect(url.hasPrefix("https://www.linkedin.com/")) }
            }
        }
        let table = try Optoutd.run(["catalog", "--config", "/nonexistent/optoutd.yaml"])
        #expect(table.status == 78)
    }
}
