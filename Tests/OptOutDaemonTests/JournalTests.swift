import Testing

@testable import OptOutDaemon

@Suite struct JournalFieldNameTests {
    @Test(arguments: [
        ("OPTOUT_ACCOUNT", "OPTOUT_ACCOUNT"), ("sl-signal", "SL_SIGNAL"), ("_PID", "PID"), ("9lives", "LIVES"),
        ("__", "FIELD"), ("ünïcode key", "N_CODE_KEY"),
        (String(repeating: "A", count: 80), String(repeating: "A", count: 64)),
    ])
    func namesAreSanitised(name: String, expected: String) {
        #expect(Journal.fieldName(name) == expected)
    }

    @Test func backOffDoublesFromAMinuteToAnHour() {
        for (attempt, base) in [(1, 60), (2, 120), (3, 240), (6, 1920), (7, 3600), (30, 3600)] {
            let delay = Outbox.backoff(attempt: attempt)
            #expect(delay >= base - base / 10 && delay <= base + base / 10, "attempt \(attempt): \(delay)")
        }
    }
}
