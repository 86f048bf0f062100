import OptOutCore
import Testing

@testable import OptOutRender

@Suite struct MessageLanguageTests {
    @Test(arguments: [
        (MessageLanguage.en, "2025-11-03", "3 November 2025"), (.de, "2025-11-03", "3. November 2025"),
        (.fr, "2025-11-03", "3 novembre 2025"), (.de, "2026-03-01", "1. März 2026"),
        (.fr, "2026-03-01", "1er mars 2026"),
        (.fr, "2025-08-15", "15 août 2025"), (.en, "2024-02-29", "29 February 2024"),
        (.de, "2025-12-31", "31. Dezember 2025"),
    ])
    func datesAreWrittenTheWayTheLanguageWritesThem(language: MessageLanguage, iso: String, expected: String) {
        #expect(language.longDate(CivilDate(iso: iso)!) == expected)
    }

    @Test func listsJoinWithTheLanguagesAnd() {
        #expect(MessageLanguage.en.list(["LinkedIn"]) == "LinkedIn")
        #expect(MessageLanguage.en.list(["LinkedIn", "X"]) == "LinkedIn and X")
        #expect(MessageLanguage.de.list(["A", "B", "C"]) == "A, B und C")
        #expect(MessageLanguage.fr.list(["A", "B"]) == "A et B")
    }
}
