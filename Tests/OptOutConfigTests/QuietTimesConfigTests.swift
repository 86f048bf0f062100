import OptOutCore
import Testing

@testable import OptOutConfig

/// `reminders.days` and `reminders.hours` as configured.
@Suite struct QuietTimesConfigTests {
    let directory = TemporaryDirectory()

    func load(_ reminders: String) -> (Configuration?, [String]) {
        let path = directory.write("optoutd.yaml", "version: 1\ntimezone: UTC\nreminders: {\(reminders)}\n")
        let loaded = ConfigurationLoader().load(path: path)
        return (
            loaded.configuration,
            loaded.diagnostics.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
        )
    }

    @Test func daysAndHoursAreRead() throws {
        let (configuration, diagnostics) = load("days: [mon, tue, wed, thu, fri], hours: \"08:00-18:00\"")
        #expect(diagnostics == [])
        let quiet = try #require(configuration?.reminders.quiet)
        #expect(quiet.days == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(quiet.hours == (8 * 3600)...(18 * 3600 - 1))
        #expect(load("at: \"09:00\"").0?.reminders.quiet == QuietTimes.none)
    }

    @Test func badDaysAndHoursAreLocatedErrors() {
        let (configuration, diagnostics) = load("days: [mon, saturday, mon], hours: \"18:00-08:00\"")
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:3:25: error: unknown day 'saturday' in days; expected sun, mon, tue, wed, thu, fri, sat",
                "optoutd.yaml:3:35: error: day 'mon' is listed twice in days",
                "optoutd.yaml:3:48: error: hours must be a span of the day such as \"08:00-18:00\" (start before end), not '18:00-08:00'",
            ])
        #expect(load("days: []").1 == ["optoutd.yaml:3:19: error: days needs at least one day for notices to fall on"])
    }
}
