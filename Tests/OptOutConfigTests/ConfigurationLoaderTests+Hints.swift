import Foundation
import OptOutCore
import Testing

@testable import OptOutConfig

/// Mistakes a diagnostic can do more for than name: the right spelling, the place an alias
/// stands, notices that a setting would silently leave out.
extension ConfigurationLoaderTests {
    /// Codes, zones and platforms have one spelling; a name written in the wrong case is
    /// answered with the right one, and a wrong default platform is named once, not again
    /// for every account that relies on it.
    @Test func aNameInTheWrongCaseIsAnsweredWithTheRightSpelling() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            timezone: europe/berlin
            defaults: {platform: LinkedIn}
            policies:
              - {id: p, platform: linkedin, title: T, effective: 2030-01-01, regions: [eu], actions: []}
            accounts:
              - {id: a, region: de}
              - {id: b, region: eu}
              - {id: c, region: uk}
              - {id: d, region: DE, platform: Facebook, timezone: america/sao_paulo}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:2:11: error: unknown time zone 'europe/berlin'; did you mean 'Europe/Berlin'?",
                "optoutd.yaml:5:76: error: unknown region 'eu'; did you mean 'EU'?",
                "optoutd.yaml:3:22: error: unknown default platform 'LinkedIn'; did you mean 'linkedin'?",
                "optoutd.yaml:7:21: error: unknown region 'de'; did you mean 'DE'?",
                // An account's region is one country: the group is not offered.
                "optoutd.yaml:8:21: error: unknown region 'eu'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "optoutd.yaml:9:21: error: unknown region 'uk'; did you mean 'GB'?",
                "optoutd.yaml:10:35: error: unknown platform 'Facebook'; did you mean 'facebook'?",
                "optoutd.yaml:10:55: error: unknown time zone 'america/sao_paulo'; did you mean 'America/Sao_Paulo'?",
            ], "\(diagnostics)")
    }

    /// A pair gets one notice of each kind a day: lead times that fall on one day, and
    /// overdue repeats closer than a day, would silently send fewer notices than written.
    @Test func remindersThatWouldShareADayAreWarnedAbout() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            reminders: {lead_times: [2d, 1d, 3h, 48h], overdue_every: 12h, overdue_max: 3}
            """)
        #expect(configuration != nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:2:34: warning: lead time 3h falls on the same day as 1d (1 day before the deadline), and one deadline reminder goes out a day: this one is left out",
                "optoutd.yaml:2:38: warning: lead time 48h falls on the same day as 2d (2 days before the deadline), and one deadline reminder goes out a day: this one is left out",
                "optoutd.yaml:2:59: warning: overdue_every 12h repeats more than once a day, but one overdue notice goes out a day: the repeats that fall on a day that had one are left out, so fewer than overdue_max come",
            ], "\(diagnostics)")
        // A day apart, in hours or days, is fine (25h before the deadline is 23:00 two days before).
        #expect(load("version: 1\nreminders: {lead_times: [3d, 25h, 12h], overdue_every: 24h}\n").1 == [])
    }

    /// A value repeated through an alias is reported where the alias stands, so a mistake
    /// in it names the use it is about, and a duplicate does not point at itself.
    @Test func mistakesInAnAliasedValueAreNamedAtTheAlias() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            defaults: {platform: linkedin}
            accounts:
              - &shared {id: a3, region: ZZ}
              - *shared
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:4:30: error: unknown region 'ZZ'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "optoutd.yaml:5:5: error: unknown region 'ZZ'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE",
                "optoutd.yaml:5:5: error: account id 'a3' is also defined at optoutd.yaml:4:18",
            ], "\(diagnostics)")
    }
}
