import OptOutCore
import Testing

@testable import OptOutRender

@Suite struct DeadlineCalendarTests {
    @Test func linesAreFoldedAndEscaped() {
        let long = String(repeating: "é", count: 60)  // 120 octets
        let lines = DeadlineCalendar.fold("SUMMARY:" + long).components(separatedBy: "\r\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines[1].hasPrefix(" "))
        #expect(lines.joined().replacingOccurrences(of: " é", with: "é") == "SUMMARY:" + long)
        #expect(DeadlineCalendar.escape("a,b;c\\d\ne\r\u{7}") == "a\\,b\\;c\\\\d\\ne ")
    }

    @Test func anEventIsTheLastDayWithAnAlarmAndItsLink() {
        let event = DeadlineCalendar.Event(
            uid: "alice/p@optoutd", deadline: CivilDate(iso: "2025-11-03")!, summary: "Last day",
            description: "Turn it off", url: "https://example.org/settings")
        let text = DeadlineCalendar.text([event], name: "Deadlines", stamp: Instant(secondsSince1970: 0))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.contains("METHOD:PUBLISH"))
        #expect(lines.contains("DTSTART;VALUE=DATE:20251102"))
        #expect(lines.contains("DTEND;VALUE=DATE:20251103"))
        #expect(lines.contains("URL:https://example.org/settings"))
        let alarm = lines.drop { $0 != "BEGIN:VALARM" }.prefix { $0 != "END:VALARM" }
        #expect(alarm.contains("ACTION:DISPLAY"))
        #expect(alarm.contains { $0.hasPrefix("TRIGGER:") })
    }

    @Test func aLinkWithASpaceIsLeftOutRatherThanBroken() {
        let event = DeadlineCalendar.Event(
            uid: "u", deadline: CivilDate(iso: "2025-11-03")!, summary: "s", description: "d",
            url: "https://example.org/a b\r\nX-INJECTED:1")
        let text = DeadlineCalendar.text([event], name: "n", stamp: Instant(secondsSince1970: 0))
        #expect(!text.contains("URL:"))
        #expect(!text.contains("\r\nX-INJECTED"))
    }
}
