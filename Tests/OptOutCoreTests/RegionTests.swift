import Testing

@testable import OptOutCore

@Suite struct RegionTests {
    static let euMembers = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
        .split(separator: " ").map(String.init)

    @Test func everyAssignedCodeIsKnown() {
        #expect(CountryCode.all.count == 249)
        #expect(Set(CountryCode.all).count == 249)
        for code in CountryCode.all {
            #expect(RegionName(code.description) == .country(code, alias: nil))
        }
    }

    @Test(arguments: euMembers)
    func euMemberIsInEUAndEEA(code: String) {
        let country = CountryCode(letters: code)!
        #expect(RegionName.europeanUnion.contains(country))
        #expect(RegionName.europeanEconomicArea.contains(country))
        #expect(RegionName.everyCountry.contains(country))
    }

    @Test func groupsHaveExactlyTheirMembers() {
        #expect(RegionName.europeanUnion.countries.map(\.description) == Self.euMembers.sorted())
        #expect(
            RegionName.europeanEconomicArea.countries.map(\.description)
                == (Self.euMembers + ["IS", "LI", "NO"]).sorted())
        for outside in ["CH", "GB", "US", "CA", "HK", "TR"] {
            #expect(!RegionName.europeanEconomicArea.contains(CountryCode(letters: outside)!))
        }
        #expect(RegionName("EU")?.countries == RegionName.europeanUnion)
        #expect(RegionName("EEA")?.countries == RegionName.europeanEconomicArea)
        #expect(RegionName("*")?.countries.countries.count == 249)
    }

    @Test func aliasesResolveToCanonicalCodes() {
        #expect(RegionName("UK") == .country(CountryCode(letters: "GB")!, alias: "UK"))
        #expect(RegionName("EL") == .country(CountryCode(letters: "GR")!, alias: "EL"))
    }

    @Test(arguments: ["XX", "de", "D", "DEU", "", "EUR", "eu", "AA", "ZZ"])
    func unknownNamesAreRejected(name: String) {
        #expect(RegionName(name) == nil)
    }

    @Test func exceptSubtracts() {
        let outsideEurope = RegionName.everyCountry.subtracting(
            RegionName.europeanEconomicArea.union(
                RegionSet(["CH", "GB", "CA", "HK"].map { CountryCode(letters: $0)! })))
        #expect(outsideEurope.countries.count == 249 - 30 - 4)
        #expect(outsideEurope.contains(CountryCode(letters: "US")!))
        #expect(!outsideEurope.contains(CountryCode(letters: "NO")!))
        #expect(!outsideEurope.contains(CountryCode(letters: "HK")!))
    }
}
