import Foundation
import Testing

@testable import OptOutCore

@Suite struct ReportTests {
    @Test func jsonEscapesWhatItMust() throws {
        var json = JSONWriter()
        json.beginObject()
        json.key("text"); json.string("quote \" backslash \\ newline \n tab \t bell \u{07} é 😀")
        json.key("none"); json.string(nil)
        json.key("list"); json.strings(["a", "b"])
        json.key("n"); json.number(-42)
        json.key("empty"); json.beginArray(); json.endArray()
        json.endObject()
        let text = json.buffer.text
        #expect(
            text
                == #"{"text":"quote \" backslash \\ newline \n tab \t bell \u0007 é 😀","none":null,"list":["a","b"],"n":-42,"empty":[]}"#
        )
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(decoded?["text"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀")
    }

    @Test func textBufferFormatsNumbersDatesAndTimes() {
        var buffer = TextBuffer()
        buffer.append(decimal: 7, width: 3)
        buffer.append(" ")
        buffer.append(decimal: -15)
        buffer.append(" ")
        buffer.append(date: CivilDate(iso: "0999-01-02")!)
        buffer.append(" ")
        buffer.append(instant: Instant(secondsSince1970: 0), utcOffset: -(9 * 3600 + 30 * 60))
        buffer.append(" ")
        buffer.append(instant: Instant(secondsSince1970: 0), utcOffset: 0)
        #expect(buffer.text == "007 -15 0999-01-02 1969-12-31T14:30:00-09:30 1970-01-01T00:00:00Z")

        var more = TextBuffer()
        more.append(decimal: 0, width: 2)
        more.append(" ")
        more.append(decimal: 1_234_567, width: 3)
        more.append(" ")
        more.append(decimal: -5, width: 3)
        more.append(" ")
        more.append(date: CivilDate(iso: "2028-02-29")!)
        more.append(" ")
        more.append(date: CivilDate(year: 12_345, month: 6, day: 7)!)
        more.append(" ")
        // 2028-02-29T10:14:59Z, shown in Nepal (+05:45) and on Kiribati's Line Islands (+14:00).
        more.append(instant: Instant(secondsSince1970: 1_835_432_099), utcOffset: 5 * 3600 + 45 * 60)
        more.append(" ")
        more.append(instant: Instant(secondsSince1970: 1_835_432_099), utcOffset: 14 * 3600)
        #expect(
            more.text == "00 1234567 -005 2028-02-29 12345-06-07 2028-02-29T15:59:59+05:45 2028-03-01T00:14:59+14:00")
    }

    @Test func planTableColumnsComeFromTheConfiguration() {
        let policy = Fixture.policy("p")
        let configuration = Fixture.configuration([Fixture.account("a-much-longer-account-id")], [policy])
        let notices = Scheduler(configuration: configuration).plan(
            from: Fixture.at("2025-10-01T00:00:00Z"), until: Fixture.at("2025-10-05T00:00:00Z"))
        let lines = planTable(notices, configuration: configuration).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(
            lines[0]
                == "AT                         ACCOUNT                   REGION  POLICY  EVENT              DAYS LEFT  PENDING                               LATE"
        )
        #expect(
            lines[1]
                == "2025-10-01T02:00:00+02:00  a-much-longer-account-id  DE      p       policy-applies     33         ai-improvement-toggle,objection-form"
        )
        #expect(
            lines[2].hasPrefix(
                "2025-10-04T09:00:00+02:00  a-much-longer-account-id  DE      p       deadline-reminder  30 "))
    }

    /// Columns as a terminal shows them: wide characters take two, marks that sit on the
    /// character before none, so `status` and `catalog` tables stay in line.
    @Test func tablesPadByTheColumnsATerminalShows() {
        #expect(TerminalText.columns("anna") == 4)
        #expect(TerminalText.columns("Zoë") == 3)
        #expect(TerminalText.columns("Zoe\u{308}") == 3)
        #expect(TerminalText.columns("王小明") == 6)
        #expect(TerminalText.columns("김민준") == 6)
        #expect(TerminalText.columns("ok ✅") == 5)
        #expect(TerminalText.columns("👩‍💻") == 2)
        #expect(TerminalText.columns("ＡＢ") == 4)
        let table = Report.table(header: ["NAME", "REGION"], rows: [["王小明", "CN"], ["Zoë", "DE"], ["anna", "AT"]])
        // The name column is as wide as 王小明 shows, six columns, for every row.
        #expect(table.split(separator: "\n").map { TerminalText.columns(String($0)) } == [14, 10, 10, 10])
    }

    /// The rows a plan prints from records, whose cells from POLICY on are kept and reused,
    /// are the rows its notices make: over a year of daily overdue notices, rows of many
    /// dates meet in each place of the writer's cache.
    @Test(arguments: [PlanWriter.Format.table, .json]) func recordsMakeTheRowsTheirNoticesMake(
        format: PlanWriter.Format
    ) {
        let policies = [
            Fixture.policy("p1", deadline: "2025-11-20"),
            Fixture.policy("p2", deadline: "2025-12-10", actions: ["ai-improvement-toggle", "extra"]),
        ]
        let catalog = Catalog(policies)
        let accounts = (0..<12).map { number in
            Fixture.account(
                "account-\(number)", ["DE", "FR", "AT", "US"][number % 4],
                zone: number % 3 == 0 ? Fixture.newYork : Fixture.berlin,
                done: number % 5 == 0 ? [DoneMark(parsing: "extra", catalog: catalog)] : [])
        }
        let configuration = Fixture.configuration(
            accounts, policies, reminders: ReminderSettings(overdueEvery: .days(1), overdueMax: 330))
        var scheduler = Scheduler(configuration: configuration)
        var records: [NoticeRecord] = []
        scheduler.simulate(from: Fixture.at("2025-10-01T00:00:00Z"), until: Fixture.at("2026-12-01T00:00:00Z")) {
            records += $0
        }
        #expect(records.count > 3000)
        var fromRecords = PlanWriter(format: format, configuration: configuration)
        var fromNotices = PlanWriter(format: format, configuration: configuration)
        var (recordText, noticeText) = (TextBuffer(), TextBuffer())
        fromRecords.begin(into: &recordText)
        fromNotices.begin(into: &noticeText)
        // Two more 256 days apart: they meet in one place of the cache, whatever its size.
        if var late = records.last(where: { $0.event == .overdue }) {
            late.date = late.date.adding(days: 256)
            records.append(late)
            late.date = late.date.adding(days: 256)
            records.append(late)
        }
        for record in records {
            fromRecords.write(record, pendingActionLists: scheduler.pendingActionLists, into: &recordText)
            fromNotices.write(scheduler.notice(for: record), into: &noticeText)
        }
        fromRecords.end(into: &recordText)
        fromNotices.end(into: &noticeText)
        #expect(recordText.text == noticeText.text)
        #expect(recordText.text.contains("overdue"))
    }

    /// A time wider than its column pushes the rest of the row along; a late notice with
    /// nothing pending keeps the empty PENDING column before LATE.
    @Test func planTableRowsMakeRoomForWideCells() throws {
        let policy = Fixture.policy("p")
        let account = Fixture.account("a")
        let configuration = Fixture.configuration([account], [policy])
        let date = try #require(CivilDate(year: 12_345, month: 6, day: 7))
        let notice = Notice(
            account: account, policy: policy, event: .overdue, date: date,
            at: Zone.utc.instant(of: date, at: TimeOfDay(hour: 7, minute: 0)!), utcOffset: 7200, pending: [],
            late: true)
        let lines = planTable([notice], configuration: configuration).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines[1]
                == "12345-06-07T09:00:00+02:00 a        DE      p       overdue            -3769153   \(String(repeating: " ", count: 38))late"
        )
    }

    /// A row is written through a buffer that grows: cells of a policy and an account the
    /// columns were not sized for push the row along (touching the next cell once they use
    /// up its gap) instead of stopping the program.
    @Test func cellsWiderThanEveryColumnPushTheRowAlong() {
        let configuration = Fixture.configuration([Fixture.account("a")], [Fixture.policy("p")])
        let actions = (1...40).map { "action-with-a-long-name-\($0)" }
        let stranger = Fixture.policy(String(repeating: "x", count: 300), actions: actions)
        let account = Fixture.account(String(repeating: "y", count: 200))
        let notice = Notice(
            account: account, policy: stranger, event: .deadlineReminder, date: CivilDate(iso: "2025-10-20")!,
            at: Fixture.at("2025-10-20T07:00:00Z"), utcOffset: 7200, pending: stranger.actions, late: true)
        let lines = planTable([notice], configuration: configuration).split(separator: "\n")
        #expect(
            lines.last
                == "2025-10-20T09:00:00+02:00  \(account.id)DE      \(stranger.id)deadline-reminder  14         \(actions.joined(separator: ","))late"[
                    ...]
        )
    }
}

@Suite struct SlotCacheTests {
    struct Second: SlotCacheKey {
        var value: Int
        var slotSeed: Int { value }
    }

    /// Keys a day apart (the same time of day) spread over the slots: a week of them stays
    /// in a cache of 64 slots, where the low bits alone would put them all in one.
    @Test func keysADayApartStayCachedSideBySide() {
        var cache = SlotCache<Second, Int>(slotBits: 6)
        var made = 0
        let week = (0..<7).map { Second(value: 1_760_000_400 + $0 * 86_400) }
        for _ in 0..<3 {
            for key in week {
                #expect(
                    cache.value(for: key) {
                        made += 1; return key.value
                    } == key.value)
            }
        }
        #expect(made == week.count)
        // A key in a taken slot replaces the one there, and is found afterwards.
        var other = SlotCache<Second, Int>(slotBits: 1)
        #expect(other.value(for: Second(value: 1)) { 10 } == 10)
        #expect(other.value(for: Second(value: 1)) { 11 } == 10)
    }
}

/// The plan as a table, all at once, as `plan` streams it.
private func planTable(_ notices: [Notice], configuration: Configuration) -> String {
    var writer = PlanWriter(format: .table, configuration: configuration)
    var buffer = TextBuffer()
    writer.begin(into: &buffer)
    for notice in notices { writer.write(notice, into: &buffer) }
    writer.end(into: &buffer)
    return buffer.text
}
