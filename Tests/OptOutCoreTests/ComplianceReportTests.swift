import Foundation
import Testing

@testable import OptOutCore

/// The report replays acknowledgement records: what stands at an instant, and week by week.
@Suite struct ComplianceReportTests {
    static let berlin = Zone(identifier: "Europe/Berlin")!

    /// Two LinkedIn policies for the EU that share the training switch; the second also asks
    /// for the ads switch. Deadline 2025-11-03.
    static let configuration: Configuration = {
        let eu = RegionName("EU")!.countries
        func policy(_ id: String, _ actions: [String]) -> Policy {
            Policy(
                id: id, platform: "linkedin", title: "T \(id)", summary: "", effective: CivilDate(iso: "2025-11-03")!,
                deadline: CivilDate(iso: "2025-11-03")!, regions: ["EU"], except: [], coverage: eu,
                actions: actions.map { PolicyAction(id: $0, title: $0, location: "Settings") })
        }
        func account(_ id: String, _ region: String, done: [DoneMark] = []) -> Account {
            Account(id: id, platform: "linkedin", region: CountryCode(letters: region)!, zone: berlin, done: done)
        }
        return Configuration(
            defaultZone: berlin,
            catalog: Catalog([policy("training", ["ai-toggle"]), policy("ads", ["ai-toggle", "ads-off"])]),
            accounts: [
                account("anna", "DE"), account("ben", "FR", done: [.action("ads-off")]), account("us", "US"),
            ])
    }()

    static func at(_ text: String) -> Instant { Instant(iso: text, defaultZone: berlin)! }

    static func record(
        _ id: Int64, _ account: String, _ action: String, _ at: String, undone: Bool = false, note: String? = nil,
        platform: String? = "linkedin"
    ) -> Acknowledgement {
        Acknowledgement(
            id: id, account: account, policy: "", action: action, platform: platform, at: Self.at(at), note: note,
            source: "cli:alice", undone: undone)
    }

    /// Anna's training switch on 20 October, her ads switch on 27 October, taken back on 29
    /// October; Ben's training switch on 30 October (his ads switch is configured as done).
    static let records = [
        record(1, "anna", "ai-toggle", "2025-10-20T10:00"),
        record(2, "anna", "ads-off", "2025-10-27T10:00"),
        record(3, "anna", "ads-off", "2025-10-29T10:00", undone: true, note: "form bounced"),
        record(4, "ben", "ai-toggle", "2025-10-30T10:00", note: "ticket 7"),
        record(5, "nobody", "ai-toggle", "2025-10-30T10:00"),
    ]

    func report(at: String, policy: String? = nil, region: String? = nil) -> ComplianceReport {
        ComplianceReport(
            configuration: Self.configuration, records: Self.records,
            firstSeen: ["ads": Self.at("2025-10-13T09:00")], at: Self.at(at), policy: policy,
            region: region.map { CountryCode(letters: $0)! })
    }

    /// A policy that only informs has nothing to be done: it counts neither as done nor as
    /// pending, for a policy or a region.
    @Test func aPolicyThatOnlyInformsIsNotCountedAsDone() {
        var configuration = Self.configuration
        let informs = Policy(
            id: "informs", platform: "linkedin", title: "Informs", summary: "",
            effective: CivilDate(iso: "2025-11-03")!,
            deadline: CivilDate(iso: "2025-11-03")!, regions: ["*"], except: [], coverage: RegionName("*")!.countries,
            actions: [])
        configuration.catalog = Catalog(configuration.catalog.policies + [informs])
        let report = ComplianceReport(configuration: configuration, records: [], at: Self.at("2025-11-01T12:00"))
        #expect(report.policies.map(\.policy.id) == ["training", "ads"])
        // The US account has nothing to do: it is in no region's count, done or not.
        #expect(report.regions.map(\.region.description) == ["DE", "FR"])
        #expect(report.regions.allSatisfy { $0.accounts.done == 0 })
        #expect(report.accountCount == 3)
    }

    func row(_ report: ComplianceReport, _ account: String, _ policy: String, _ action: String) -> ComplianceReport.Row?
    {
        report.rows.first { $0.account.id == account && $0.policy.id == policy && $0.action.id == action }
    }

    @Test func eachRowSaysWhatStandsAtTheInstant() throws {
        let early = report(at: "2025-10-28T12:00")
        #expect(row(early, "anna", "ads", "ads-off")?.isDone == true)
        #expect(row(early, "ben", "training", "ai-toggle")?.isDone == false)
        #expect(early.policies.map(\.policy.id) == ["training", "ads"])
        #expect(early.policies[1].accounts == .init(covered: 2, done: 1))

        let later = report(at: "2025-11-04T12:00")
        let undone = try #require(row(later, "anna", "ads", "ads-off"))
        #expect(!undone.isDone && undone.record == nil && undone.source.isEmpty)
        // The deadline's own date is the first day overdue.
        #expect(undone.daysOverdue == 2)
        let ben = try #require(row(later, "ben", "training", "ai-toggle"))
        #expect(ben.isDone && ben.source == "cli:alice" && ben.record?.note == "ticket 7" && ben.daysOverdue == 0)
        #expect(row(later, "ben", "ads", "ads-off")?.source == "config")
        #expect(later.policies[1].accounts == .init(covered: 2, done: 1))
        #expect(later.policies[1].pendingByAction.map(\.count) == [0, 1])
        // The US account has no policy: counted among the accounts, in no region's tally.
        #expect(later.accountCount == 3)
        #expect(later.regions.map(\.region.description) == ["DE", "FR"])
        #expect(later.regions.map(\.accounts.done) == [0, 1])
        #expect(report(at: "2025-11-02T23:59").rows.allSatisfy { $0.daysOverdue == 0 })
    }

    /// Action ids are shared across platforms: a record made while the account was on
    /// another one says nothing of this one. One from before the store kept the platform
    /// counts wherever the account is.
    @Test func aRecordMadeOnAnotherPlatformIsNotCounted() throws {
        for (platform, counted) in [("facebook", false), (nil, true), ("linkedin", true)] {
            let report = ComplianceReport(
                configuration: Self.configuration,
                records: [Self.record(1, "anna", "ai-toggle", "2025-10-20T10:00", platform: platform)],
                at: Self.at("2025-11-01T12:00"))
            #expect(row(report, "anna", "training", "ai-toggle")?.isDone == counted, "\(platform ?? "none")")
            #expect(report.policies[0].accounts.done == (counted ? 1 : 0))
        }
        // A record of no known platform, taken back on another platform: taken back here too.
        let withdrawn = ComplianceReport(
            configuration: Self.configuration,
            records: [
                Self.record(1, "anna", "ai-toggle", "2025-10-20T10:00", platform: nil),
                Self.record(2, "anna", "ai-toggle", "2025-10-21T10:00", undone: true, platform: "facebook"),
            ],
            at: Self.at("2025-11-01T12:00"))
        #expect(row(withdrawn, "anna", "training", "ai-toggle")?.isDone == false)
        #expect(withdrawn.policies[0].accounts.done == 0)
    }

    @Test func theShareDoneIsSampledEveryWeekSinceThePolicyFirstApplied() {
        let ads = report(at: "2025-11-04T12:00").policies[1]
        // First seen 13 October, 09:00: then weekly, then the report's instant.
        #expect(
            ads.weeks.map { Self.berlin.rfc3339($0.at) } == [
                "2025-10-13T09:00:00+02:00", "2025-10-20T09:00:00+02:00", "2025-10-27T09:00:00+01:00",
                "2025-11-03T09:00:00+01:00", "2025-11-04T12:00:00+01:00",
            ])
        // Anna done on 27 October, pending again on the 29th; Ben done on the 30th.
        #expect(ads.weeks.map(\.done.done) == [0, 0, 0, 1, 1])
        #expect(ads.weeks.allSatisfy { $0.done.covered == 2 })
        // Without a sighting, the history starts at the effective date.
        let training = report(at: "2025-11-20T00:00").policies[0]
        #expect(Self.berlin.rfc3339(training.weeks[0].at) == "2025-11-03T00:00:00+01:00")
        #expect(training.weeks.map(\.done.done) == [2, 2, 2, 2])
    }

    @Test func filtersKeepOnePolicyOrOneRegion() {
        let ads = report(at: "2025-11-04T12:00", policy: "ads")
        #expect(Set(ads.rows.map(\.policy.id)) == ["ads"])
        #expect(ads.policies.map(\.policy.id) == ["ads"])
        let france = report(at: "2025-11-04T12:00", region: "FR")
        #expect(Set(france.rows.map(\.account.id)) == ["ben"])
        #expect(france.accountCount == 1)
        #expect(france.policies.map(\.accounts) == [.init(covered: 1, done: 1), .init(covered: 1, done: 1)])
    }

    @Test func csvQuotesAndDisarmsFormulas() {
        var text = TextBuffer()
        for field in ["plain", "=1+2", "-3", "@SUM(A1)", "+x", "\tx", "a,b", "say \"hi\"", "two\nlines", "\rx"] {
            ComplianceReport.appendCSVField(field, to: &text)
            text.append("|")
        }
        #expect(
            text.text == "plain|'=1+2|'-3|'@SUM(A1)|'+x|'\tx|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"'\rx\"|")
    }

    /// The shipped catalog alone has more policies than there are colours: each line of the
    /// history chart keeps a style of its own.
    @Test func eachPolicyOfTheHistoryChartHasAStyleOfItsOwn() {
        let styles = (0..<18).map(ComplianceCharts.seriesClass)
        #expect(Set(styles).count == 18)
        #expect(styles[0] == "series0" && styles[7] == "series1 dash1" && styles[14] == "series2 dash2")
    }

    /// Two policies whose shares are the same draw one line over the other: the legend and
    /// each line's tooltip still tell them apart by the share they end at.
    @Test func theHistoryChartNamesEachPolicysLatestShare() {
        let html = report(at: "2025-11-20T00:00").html(zone: Self.berlin).text
        let chart = html[html.range(of: "Share of accounts done over time")!.lowerBound...]
        #expect(chart.contains(">training: 100.0% done</text>"))
        #expect(chart.contains(">ads: 50.0% done</text>"))
        #expect(chart.contains("<polyline class=\"series1\" points=\""))
        #expect(chart.contains("<title>ads: 50.0% done</title></polyline>"))
    }

    /// A note in Chinese or with an emoji takes two columns a character on a terminal: the
    /// table pads by what shows, so the columns after the note stay in line.
    @Test func wideCharactersKeepTheRowTableInLine() throws {
        var records = Self.records
        records[3] = Self.record(4, "ben", "ai-toggle", "2025-10-30T10:00", note: "工单 7 ✅")
        let report = ComplianceReport(
            configuration: Self.configuration, records: records,
            firstSeen: ["ads": Self.at("2025-10-13T09:00")], at: Self.at("2025-11-04T12:00"), policy: nil, region: nil)
        let lines = report.table.text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("ACCOUNT") })
        let wide = try #require(lines.first { $0.contains("工单") })
        func column(of text: String, in line: String) -> Int? {
            line.range(of: text).map { TerminalText.columns(String(line[..<$0.lowerBound])) }
        }
        #expect(column(of: "2025-11-03", in: wide) == column(of: "DEADLINE", in: header))
    }

    /// 100.0 % only when every account is done and 0.0 % only when none is: one account left
    /// among thousands must not read as all done.
    @Test func aShareIsShownAsAllOrNothingOnlyWhenItIs() {
        #expect(ComplianceReport.Tally(covered: 2001, done: 2000).percentText == "99.9")
        #expect(ComplianceReport.Tally(covered: 2001, done: 1).percentText == "0.1")
        #expect(ComplianceReport.Tally(covered: 3, done: 2).percentText == "66.7")
        #expect(ComplianceReport.Tally(covered: 3, done: 3).percentText == "100.0")
        #expect(ComplianceReport.Tally(covered: 3, done: 0).percentText == "0.0")
    }

    /// The headline counts the accounts and those asked to act, and a narrowed report says
    /// what it is narrowed to, in its title, its headline and its JSON.
    @Test func aNarrowedReportSaysSo() throws {
        let whole = report(at: "2025-11-04T12:00").html(zone: Self.berlin).text
        #expect(whole.contains("<h1>Opt-out compliance report</h1>"))
        #expect(whole.contains(": 3 accounts, 2 of them with steps to take; 6 actions, "), "\(whole.prefix(900))")
        let narrowed = report(at: "2025-11-04T12:00", policy: "ads", region: "FR")
        let html = narrowed.html(zone: Self.berlin).text
        #expect(
            html.contains("<title>Opt-out compliance report (only policy ads, region FR) 2025-11-04T12:00:00+01:00"))
        #expect(html.contains(": 1 account, 1 of them with steps to take; 2 actions, "))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(narrowed.json(zone: Self.berlin).bytes)) as? [String: Any])
        #expect(json["policy"] as? String == "ads" && json["region"] as? String == "FR")
        #expect((json["summary"] as? [String: Any])?["accounts_to_act"] as? Int == 1)
        // Nothing to show: no chart axis from 1970.
        let empty = report(at: "2025-11-04T12:00", region: "JP").html(zone: Self.berlin).text
        #expect(!empty.contains("1970-01-01"))
        #expect(empty.contains("nothing applies"))
    }

    @Test func htmlTextIsEscaped() {
        #expect(HTMLText.escaped("<b a='1'>&\"</b>") == "&lt;b a=&#39;1&#39;&gt;&amp;&quot;&lt;/b&gt;")
        #expect(HTMLText.escaped("plain") == "plain")
    }
}
