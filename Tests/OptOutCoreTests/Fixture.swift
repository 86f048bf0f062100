@testable import OptOutCore

/// Builders for small configurations with fixed dates.
enum Fixture {
    static let berlin = Zone(identifier: "Europe/Berlin")!
    static let newYork = Zone(identifier: "America/New_York")!

    static func at(_ text: String) -> Instant { Instant(iso: text, defaultZone: .utc)! }

    static func policy(
        _ id: String, effective: String = "2025-11-03", deadline: String? = nil, regions: [String] = ["EU"],
        except: [String] = [], actions: [String] = ["ai-improvement-toggle", "objection-form"]
    ) -> Policy {
        let coverage = regions.map { RegionName($0)!.countries }.reduce(RegionSet()) { $0.union($1) }
            .subtracting(except.map { RegionName($0)!.countries }.reduce(RegionSet()) { $0.union($1) })
        return Policy(
            id: id, platform: "linkedin", title: "Policy \(id)", summary: "", effective: CivilDate(iso: effective)!,
            deadline: CivilDate(iso: deadline ?? effective)!, regions: regions, except: except, coverage: coverage,
            actions: actions.map { PolicyAction(id: $0, title: "Do \($0)", location: "Settings") })
    }

    static func account(_ id: String, _ region: String = "DE", zone: Zone = berlin, done: [DoneMark] = []) -> Account {
        Account(id: id, platform: "linkedin", region: CountryCode(letters: region)!, zone: zone, done: done)
    }

    static func configuration(
        _ accounts: [Account], _ policies: [Policy], reminders: ReminderSettings = ReminderSettings()
    ) -> Configuration {
        Configuration(defaultZone: berlin, reminders: reminders, catalog: Catalog(policies), accounts: accounts)
    }
}

/// `(local time, event)` of each notice, for compact expectations.
func timeline(_ notices: [Notice]) -> [String] {
    notices.map { "\($0.localTime) \($0.event.rawValue)\($0.late ? " late" : "")" }
}

/// Runs the pieces in turn, claiming `width` of them at once, so that a scheduler is made in
/// that many parts (which the core's tests have no threads to run on).
struct PiecesInTurn: ParallelMap {
    let width: Int

    func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        elements.map(transform)
    }
}
