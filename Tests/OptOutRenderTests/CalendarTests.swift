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
        // By scalars: a CRLF is a line break, and NEL or a line separator never breaks one.
        #expect(DeadlineCalendar.escape("one\r\ntwo\u{85}three\u{2028}four") == "one\\ntwo three four")
    }

    /// A later copy of an event carries a higher sequence, so calendar programs take it as
    /// an update of the one they have.
    @Test func aLaterCopyOfAnEventHasAHigherSequence() {
        let event = DeadlineCalendar.Event(
            uid: "u", deadline: CivilDate(iso: "2025-11-03")!, summary: "s", description: "d")
        func sequence(_ stamp: Int) -> Int? {
            DeadlineCalendar.text([event], name: "n", stamp: Instant(secondsSince1970: stamp))
                .components(separatedBy: "\r\n").first { $0.hasPrefix("SEQUENCE:") }
                .flatMap { Int($0.dropFirst("SEQUENCE:".count)) }
        }
        let first = sequence(1_795_955_413)
        let later = sequence(1_795_955_413 + 86_400)
        #expect(first != nil && later != nil && later! > first!)
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
