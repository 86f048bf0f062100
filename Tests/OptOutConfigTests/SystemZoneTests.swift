import Testing

@testable import OptOutConfig

/// The system's zone as the C library reads `$TZ` and `/etc/localtime`.
struct SystemZoneTests {
    @Test(
        arguments: [
            ("Europe/Berlin", nil, SystemZone.Source.name("Europe/Berlin")),
            (":Europe/Berlin", nil, .name("Europe/Berlin")),
            ("/usr/share/zoneinfo/Asia/Tokyo", nil, .name("Asia/Tokyo")),
            (":/usr/share/zoneinfo/posix/America/Toronto", nil, .name("America/Toronto")),
            (":/etc/localtime", "../usr/share/zoneinfo/Europe/Lisbon", .name("Europe/Lisbon")),
            ("/etc/localtime", nil, .library),
            ("", "/usr/share/zoneinfo/Asia/Tokyo", .name("UTC")),
            ("/home/me/my-zone", nil, .unusable(tz: "/home/me/my-zone")),
            // A POSIX rule is read as a name, which ZoneName then refuses.
            ("CET-1CEST,M3.5.0,M10.5.0/3", nil, .name("CET-1CEST,M3.5.0,M10.5.0/3")),
        ] as [(String?, String?, SystemZone.Source)])
    func tzIsReadAsTheCLibraryReadsIt(tz: String?, target: String?, expected: SystemZone.Source) {
        #expect(SystemZone.source(tz: tz, localtimeTarget: target) == expected)
    }

    @Test func withoutTZTheLinkOfLocaltimeNamesTheZone() {
        #expect(SystemZone.source(tz: nil, localtimeTarget: "/usr/share/zoneinfo/Etc/UTC") == .name("Etc/UTC"))
        #expect(SystemZone.source(tz: nil, localtimeTarget: nil) == .library)
    }
}
