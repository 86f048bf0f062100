import Testing

@testable import OptOutDaemon

@Suite struct OutboxTests {
    /// The give-up entry says how long was tried as a person would: "1 hour", "2 days".
    @Test func theGiveUpSpanReadsAsWords() {
        #expect(Outbox.span(hours: 1) == "1 hour")
        #expect(Outbox.span(hours: 12) == "12 hours")
        #expect(Outbox.span(hours: 24) == "1 day")
        #expect(Outbox.span(hours: 72) == "3 days")
        #expect(Outbox.span(hours: 36) == "36 hours")
    }
}
