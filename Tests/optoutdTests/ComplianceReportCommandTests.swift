import Foundation
import OptOutCore
import Testing

/// `optoutd report` over a store written by the daemon (`run --once` twenty days ago) and
/// acknowledgements recorded with `optoutd ack`, read as a spreadsheet, a program, a browser
/// and Prometheus would read them.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct ComplianceReportCommandTests {
    let fixture: DaemonFixture
    /// Twenty and a half days ago: three weekly points and now, whatever a change of clocks does.
    let firstRun = Instant(Date()).adding(seconds: -(20 * 86_400 + 43_200))
    let training = "linkedin-genai-training-2025"
    /// Hostile text where a person may write anything: a formula, markup.
    let formulaNote = "=HYPERLINK(\"evil\",\"x\")"
    let quotedNote = "-2+3, \"checked\""
    let hostileName = "<b>Bob</b> & \"co\" <script>alert(1)</script>"

    var de: String { fixture.account("de") }
    var fr: String { fixture.account("fr") }
    var ca: String { fixture.account("ca") }

    init() throws {
        fixture = try DaemonFixture()
        try fixture.writeConfig(
            accounts: """
                  - {id: \(fixture.account("de")), region: DE}
                  - {id: \(fixture.account("fr")), region: FR}
                  - {id: \(fixture.account("ca")), region: CA, name: '\(hostileName)', done: [ads-off-linkedin]}
                """)
        let run = try fixture.runOnce(from: firstRun)
        #expect(run.status == 0, "\(run.stderr)")
        let first = try fixture.run(["ack", de, training, "--note", formulaNote])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try fixture.run(["ack", fr, training, "objection-form", "--note=\(quotedNote)"])
        #expect(second.status == 0, "\(second.stderr)")
    }

    func report(_ arguments: [String]) throws -> String {
        let result = try fixture.run(["report"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    func json(_ arguments: [String] = []) throws -> [String: Any] {
        let text = try report(["--format", "json"] + arguments)
        return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func rows(_ object: [String: Any]) -> [[String: Any]] { object["rows"] as? [[String: Any]] ?? [] }

    func row(_ rows: [[String: Any]], _ account: String, _ policy: String, _ action: String) -> [String: Any]? {
        rows.first {
            $0["account"] as? String == account && $0["policy"] as? String == policy
                && $0["action"] as? String == action
        }
    }

    @Test func csvHasTheExactHeaderQuotesFieldsAndDisarmsFormulas() throws {
        let csv = try report(["--format", "csv"])
        #expect(csv.hasSuffix("\r\n"))
        let lines = csv.components(separatedBy: "\r\n").dropLast()
        #expect(lines.first == "account,platform,region,policy,action,status,done_at,source,note,deadline,days_overdue")
        #expect(!lines.contains { $0.contains("\n") })
        let done = try #require(lines.first { $0.hasPrefix("\(de),linkedin,DE,\(training),objection-form,") })
        // The note starts a formula: prefixed with ', and quoted for its commas and quotes.
        #expect(done.hasSuffix(",cli:root,\"'=HYPERLINK(\"\"evil\"\",\"\"x\"\")\",2025-11-03,0"))
        let fields = done.split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields[5] == "done")
        #expect(
            Instant(iso: String(fields[6]), defaultZone: .utc).map {
                abs($0.secondsSince1970 - Int(Date().timeIntervalSince1970)) < 120
            } == true)
        let fromFrance = try #require(lines.first { $0.hasPrefix("\(fr),linkedin,FR,\(training),objection-form,") })
        #expect(fromFrance.contains(",cli:root,\"'-2+3, \"\"checked\"\"\",2025-11-03,0"))
        // Pending after the deadline: overdue by whole days, counting today.
        let pending = try #require(lines.first { $0.hasPrefix("\(fr),linkedin,FR,\(training),ai-improvement-toggle,") })
        let today = Zone(identifier: "Europe/Berlin")!.localDate(of: Instant(Date()))
        #expect(pending.hasSuffix(",pending,,,,2025-11-03,\(CivilDate(iso: "2025-11-03")!.days(until: today) + 1)"))
        // What the configuration marks as done says so.
        #expect(
            lines.contains {
                $0.hasPrefix("\(ca),linkedin,CA,linkedin-ads-sharing-2025,ads-off-linkedin,done,,config,,")
            })
    }

    @Test func jsonHasTheRowsAndTheSummaries() throws {
        let object = try json()
        let all = rows(object)
        #expect(row(all, de, training, "ai-improvement-toggle")?["status"] as? String == "done")
        #expect(row(all, de, training, "ai-improvement-toggle")?["note"] as? String == formulaNote)
        #expect(row(all, fr, training, "ai-improvement-toggle")?["source"] is NSNull)
        #expect((row(all, fr, training, "ai-improvement-toggle")?["days_overdue"] as? Int ?? 0) > 390)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["accounts"] as? Int == 3)
        let policies = try #require(summary["policies"] as? [[String: Any]])
        let policy = try #require(policies.first { $0["policy"] as? String == training })
        #expect(policy["accounts"] as? Int == 3)
        #expect(policy["done"] as? Int == 1)
        #expect((policy["percent"] as? Double).map { abs($0 - 33.3) < 0.01 } == true)
        #expect((policy["pending_actions"] as? [String: Int]) == ["ai-improvement-toggle": 2, "objection-form": 1])
        // From the daemon's first sighting twenty days ago, week by week, then now: done only now.
        let weeks = try #require(policy["weeks"] as? [[String: Any]])
        #expect(weeks.count == 4)
        #expect(weeks.map { $0["done"] as? Int } == [0, 0, 0, 1])
        let start = try #require((weeks.first?["at"] as? String).flatMap { Instant(iso: $0, defaultZone: .utc) })
        #expect(abs(start.secondsSince1970 - firstRun.secondsSince1970) <= 1)
        let regions = try #require(summary["regions"] as? [[String: Any]])
        #expect(regions.map { $0["region"] as? String } == ["CA", "DE", "FR"])
        #expect(regions.map { $0["done"] as? Int } == [0, 1, 0])
    }

    /// Without a store the report is what the configuration alone says, and says so: a
    /// mistyped --state must not pass for a report of nobody having done anything.
    @Test func aReportWithoutAStoreSaysSo() throws {
        let missing = fixture.directory.appendingPathComponent("typo.sqlite").path
        let result = try Optoutd.run(["report", "--config", fixture.configPath, "--state", missing])
        #expect(result.status == 0)
        #expect(
            result.stderr
                == "optoutd: warning: no state store at \(missing): the report shows what the configuration alone says (check --state)\n"
        )
        #expect(try fixture.run(["report"]).stderr.isEmpty)
        let records = try Optoutd.run(["report", "--records", "--config", fixture.configPath, "--state", missing])
        #expect(
            records.stderr
                == "optoutd: warning: no state store at \(missing): there are no records to list (check --state)\n")
        // status says the same.
        let status = try Optoutd.run(["status", "--config", fixture.configPath, "--state", missing])
        #expect(status.status == 0)
        #expect(
            status.stderr
                == "optoutd: warning: no state store at \(missing): status shows what the configuration alone says (check --state)\n"
        )
    }

    /// The records themselves, for an auditor: a correction shows beside what it corrects,
    /// and the records of an account taken out of the configuration are still there.
    @Test func recordsListEveryAcknowledgementWithItsCorrections() throws {
        #expect(
            try fixture.run(["ack", fr, training, "objection-form", "--undo", "--note", "form bounced"]).status == 0)
        let lines = try report(["--records", "--format", "csv"]).components(separatedBy: "\r\n").dropLast()
        #expect(lines.first == "at,account,platform,region,policy,action,change,source,note")
        #expect(lines.count == 1 + 4, "\(lines)")
        #expect(
            lines.last?.hasSuffix(",\(fr),linkedin,FR,\(training),objection-form,undone,cli:root,form bounced") == true)
        #expect(lines.dropFirst().filter { $0.contains(",done,") }.count == 3)
        // French accounts only: the record and its correction.
        let france = try report(["--records", "--region", "FR"]).split(separator: "\n")
        #expect(france.count == 1 + 2)
        // A switch named under another policy, or alone, is this policy's record too: the
        // policy's history holds every record that changes it.
        #expect(
            try fixture.run(["ack", ca, "linkedin-affiliate-ai-sharing-2025", "ai-improvement-toggle"]).status == 0)
        let shared = try report(["--records", "--policy", training, "--region", "CA", "--format", "csv"])
        #expect(
            shared.contains(",\(ca),linkedin,CA,linkedin-affiliate-ai-sharing-2025,ai-improvement-toggle,done,"),
            "\(shared)")
        let ads = try report(["--records", "--policy", "linkedin-ads-sharing-2025", "--region", "CA"])
        #expect(!ads.contains("ai-improvement-toggle"))
        // Only of accounts the policy applies to: the affiliate policy covers Canada, not France.
        let affiliate = try report(["--records", "--policy", "linkedin-affiliate-ai-sharing-2025", "--format", "csv"])
        #expect(affiliate.contains(",\(ca),linkedin,CA,"), "\(affiliate)")
        #expect(
            !affiliate.contains(",\(fr),linkedin,FR,") && !affiliate.contains(",\(de),linkedin,DE,"), "\(affiliate)")

        try fixture.writeConfig(accounts: "  - {id: \(de), region: DE}")
        let result = try fixture.run(["report"])
        #expect(
            result.stderr
                == "optoutd: warning: the store holds acknowledgements of 2 accounts no longer configured (such as '\(fr)'); report --records lists them\n"
        )
        let kept = try fixture.run(["report", "--records", "--format", "json"])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(kept.stdout.utf8)) as? [[String: Any]])
        let gone = records.filter { $0["account"] as? String == fr }
        #expect(gone.count == 2 && gone.allSatisfy { $0["region"] is NSNull })
        // and in the policy's history, where they name it
        let history = try fixture.run(["report", "--records", "--policy", training, "--format", "csv"]).stdout
        #expect(history.components(separatedBy: ",\(fr),linkedin,,").count - 1 == 2, "\(history)")
        #expect(try fixture.run(["report", "--records", "--format", "html"]).status == 64)
        // A policy that left the catalog: its records can still be listed, with a word.
        try fixture.writeConfig(
            accounts: "  - {id: \(de), region: DE}",
            extra: """
                catalog: {builtin: false}
                policies:
                  - {id: other-change, platform: linkedin, title: Another change, effective: 2026-12-15, deadline: 2026-12-15, regions: [DE], actions: [{id: other-switch, title: Switch it off, where: Settings}]}
                """)
        let withdrawn = try fixture.run(["report", "--records", "--policy", training, "--format", "csv"])
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        #expect(withdrawn.stderr.contains("policy '\(training)' is no longer in the catalog"))
        #expect(withdrawn.stdout.components(separatedBy: ",\(training),").count - 1 >= 2, "\(withdrawn.stdout)")
        #expect(try fixture.run(["report", "--policy", training]).status == 65)
    }

    @Test func atBeforeAnAcknowledgementShowsItPending() throws {
        let before = try json(["--at", Zone.utc.rfc3339(Instant(Date()).adding(seconds: -3600))])
        let action = try #require(row(rows(before), de, training, "objection-form"))
        #expect(action["status"] as? String == "pending")
        #expect(action["done_at"] is NSNull)
        #expect(action["source"] is NSNull)
        let policies = (before["summary"] as? [String: Any])?["policies"] as? [[String: Any]]
        #expect(policies?.first { $0["policy"] as? String == training }?["done"] as? Int == 0)
        // The configuration's done: holds at any time.
        #expect(
            row(rows(before), ca, "linkedin-ads-sharing-2025", "ads-off-linkedin")?["source"] as? String == "config")
    }

    @Test func policyAndRegionFilterRowsAndSummaries() throws {
        let ads = try json(["--policy", "linkedin-ads-sharing-2025"])
        #expect(Set(rows(ads).compactMap { $0["policy"] as? String }) == ["linkedin-ads-sharing-2025"])
        #expect(Set(rows(ads).compactMap { $0["account"] as? String }) == [ca])
        let france = try json(["--region", "fr"])
        #expect(Set(rows(france).compactMap { $0["account"] as? String }) == [fr])
        #expect((france["summary"] as? [String: Any])?["accounts"] as? Int == 1)
        let unknown = try fixture.run(["report", "--policy", "no-such-policy"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("unknown policy 'no-such-policy'"))
        #expect(try fixture.run(["report", "--region", "XX1"]).status == 65)
        #expect(try fixture.run(["report", "--at", "last tuesday"]).status == 64)
    }

    @Test func htmlRendersInChromiumWithChartsAndNoErrors() throws {
        let page = fixture.directory.appendingPathComponent("report.html").path
        #expect(try fixture.run(["report", "--format", "html", "--output", page]).status == 0)
        // It names people and what they did: for its owner alone.
        #expect(try FileManager.default.attributesOfItem(atPath: page)[.posixPermissions] as? Int == 0o600)
        #expect(try fixture.run(["report", "--output", ""]).status == 64)
        // A name as long as a file name may be.
        let longest = fixture.directory.appendingPathComponent(String(repeating: "r", count: 250) + ".html").path
        #expect(try fixture.run(["report", "--format", "html", "--output", longest]).status == 0)
        #expect(FileManager.default.fileExists(atPath: longest))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        let rendered = try Optoutd.runTool(
            "/usr/bin/python3",
            [Optoutd.repository.appendingPathComponent("Tests/support/render_report.py").path, page])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let result = try #require(JSONSerialization.jsonObject(with: Data(rendered.stdout.utf8)) as? [String: Any])
        let charts = try #require(result["charts"] as? [[String: Any]])
        #expect(charts.count == 3)
        for chart in charts {
            #expect((chart["width"] as? Double ?? 0) > 100 && (chart["height"] as? Double ?? 0) > 50, "\(chart)")
        }
        #expect((result["console"] as? [Any])?.isEmpty == true, "\(result["console"] ?? "")")
        #expect((result["requests"] as? [Any])?.isEmpty == true, "\(result["requests"] ?? "")")
        #expect(result["scripts"] as? Int == 0)
        // The hostile name is shown as text, not taken as markup.
        #expect(result["bold"] as? Int == 0)
        let text = try #require(result["text"] as? String)
        #expect(text.contains(hostileName))
        #expect(text.contains(formulaNote))
        #expect(text.contains("Accounts fully done per region"))
        // The history chart's figures come as a table too, and the columns read as words.
        #expect(text.contains("The same, as a table"))
        #expect(html.contains(#"<th scope="col">Week of</th>"#) && html.contains(#"<th scope="col">Days overdue</th>"#))
        // On a phone, wide tables scroll in their own box; the page does not.
        let narrow = try #require(result["narrow"] as? [String: Int])
        #expect((narrow["scrollWidth"] ?? .max) <= (narrow["clientWidth"] ?? 0), "\(narrow)")
    }

    @Test func prometheusMetricsParseWithTheReferenceParser() throws {
        let file = fixture.directory.appendingPathComponent("optoutd.prom").path
        #expect(try fixture.run(["report", "--format", "prometheus", "--output", file]).status == 0)
        // Written whole, then renamed: nothing else left beside it, readable by a collector.
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).filter {
                $0.contains(".prom") || $0.hasSuffix(".tmp")
            } == ["optoutd.prom"])
        let parsed = try Optoutd.runTool(
            "/usr/bin/python3",
            [Optoutd.repository.appendingPathComponent("Tests/support/parse_metrics.py").path, file])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let result = try #require(JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])
        let families = try #require(result["families"] as? [String: String])
        #expect(families["optoutd_notices"] == "counter")
        #expect(families["optoutd_deliveries_given_up"] == "counter")
        #expect(families["optoutd_pairs"] == "gauge")
        let samples = try #require(result["samples"] as? [[String: Any]])
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0["name"] as? String == name && ($0["labels"] as? [String: String]) == labels }?["value"]
                as? Double
        }
        #expect(value("optoutd_accounts") == 3)
        #expect(value("optoutd_pairs", ["policy": training, "state": "done"]) == 1)
        #expect(value("optoutd_pairs", ["policy": training, "state": "pending"]) == 2)
        #expect(value("optoutd_actions_pending", ["policy": training, "action": "objection-form"]) == 1)
        #expect(value("optoutd_actions_pending", ["policy": training, "action": "ai-improvement-toggle"]) == 2)
        // The daemon's run issued a policy-applies notice per pair, through the journal.
        let pairs = Set(rows(try json()).map { "\($0["account"] ?? "")/\($0["policy"] ?? "")" })
        #expect(value("optoutd_notices_total", ["event": "policy-applies"]) == Double(pairs.count))
        #expect(value("optoutd_notices_total", ["event": "opted-out"]) == 0)
        #expect(value("optoutd_outbox_waiting", ["channel": "journal"]) == 0)
        #expect(value("optoutd_deliveries_given_up_total", ["channel": "journal"]) == 0)
        #expect(value("optoutd_last_round_timestamp_seconds") == Double(firstRun.secondsSince1970))
        // The same figures give the same file, run after run: a collector's diff is of figures.
        let again = try fixture.run(["report", "--format", "prometheus"]).stdout
        #expect(again == (try String(contentsOfFile: file, encoding: .utf8)))
        let series = again.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(series == series.sorted())
    }
}
