import OptOutCore
import Testing

@testable import OptOutRender

/// The confirmation page names a person's accounts as their mail does.
struct ChecklistPageTests {
    let policy = Policy(
        id: "p", platform: "linkedin", title: "Policy p", summary: "", effective: CivilDate(iso: "2026-12-15")!,
        deadline: CivilDate(iso: "2026-12-15")!, regions: ["EU"], except: [], coverage: RegionName("EU")!.countries,
        actions: [PolicyAction(id: "toggle", title: "Turn off the toggle", location: "Settings")])

    func account(_ id: String, name: String?) -> AccountActions {
        let account = Account(
            id: id, platform: "linkedin", region: CountryCode(letters: "DE")!, name: name, email: "chan@example.org",
            zone: .utc)
        return AccountActions(account: account, catalog: Catalog([policy]), standing: [:])
    }

    func page(_ accounts: [AccountActions]) -> ChecklistPage {
        ChecklistPage(
            accounts, language: .en, settings: MessageSettings(), formAction: "/c/T", recorded: nil, returned: nil,
            now: Instant(secondsSince1970: 1_780_000_000))
    }

    @Test func twoAccountsOfOneNameAreToldApartByID() {
        let twins = page([account("chan.page", name: "Chan Ka-ming"), account("chan.profile", name: "Chan Ka-ming")])
        #expect(twins.groups.map(\.account) == ["Chan Ka-ming, chan.page", "Chan Ka-ming, chan.profile"])
        let named = page([account("chan.page", name: "Chan's page"), account("chan.profile", name: nil)])
        #expect(named.groups.map(\.account) == ["Chan's page", "chan.profile"])
        #expect(page([account("chan.page", name: "Chan Ka-ming")]).groups.map(\.account) == [nil])
    }
}
