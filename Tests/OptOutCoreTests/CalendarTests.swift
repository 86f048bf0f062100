import Testing

@testable import OptOutCore

@Suite struct CivilDateTests {
    @Test func roundTripsEveryDayOverFourCenturies() {
        var previous: (Int, Int, Int)?
        for day in CivilDate(year: 1900, month: 1, day: 1)!
            .dayNumber...CivilDate(year: 2300, month: 12, day: 31)!.dayNumber
        {
            let date = CivilDate(dayNumber: day)
            let (y, m, d) = date.components
            #expect(CivilDate(year: y, month: m, day: d) == date)
            if let (py, pm, pd) = previous {
                // Consecutive days: next day of the month, or the 1st of the next month/year.
                #expect(
                    (y == py && m == pm && d == pd + 1)
                        || (d == 1 && ((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1))))
            }
            previous = (y, m, d)
        }
    }

    @Test func epochAndKnownDates() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(iso: "2025-11-03")!.dayNumber == 20_395)
        #expect(CivilDate(iso: "2025-11-03")!.description == "2025-11-03")
        #expect(CivilDate(dayNumber: -1).description == "1969-12-31")
    }

    @Test(arguments: [
        ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("2100-02-29", false),
        ("2025-04-31", false), ("2025-13-01", false), ("2025-00-10", false), ("2025-1-01", false),
        ("25-11-03", false), ("2025/11/03", false), ("2025-11-03T00:00", false), ("2025-12-31", true),
    ])
    func parsesOnlyRealDates(text: String, valid: Bool) {
        #expect((CivilDate(iso: text) != nil) == valid)
    }

    @Test func dayArithmeticAcrossMonthEndsAndLeapDays() {
        let leapDay = CivilDate(iso: "2028-02-29")!
        #expect(leapDay.adding(days: 1).description == "2028-03-01")
        #expect(leapDay.adding(days: -30).description == "2028-01-30")
        #expect(CivilDate(iso: "2025-03-01")!.adding(days: -1).description == "2025-02-28")
        #expect(CivilDate(iso: "2024-03-01")!.adding(days: -1).description == "2024-02-29")
        #expect(CivilDate(iso: "2025-12-31")!.adding(days: 1).description == "2026-01-01")
        #expect(CivilDate(iso: "2025-10-04")!.days(until: CivilDate(iso: "2025-11-03")!) == 30)
    }
}

@Suite struct ZoneTests {
    let berlin = Zone(identifier: "Europe/Berlin")!
    let newYork = Zone(identifier: "America/New_York")!
    let nine = TimeOfDay(hour: 9, minute: 0)!

    func at(_ text: String) -> Instant { Instant(iso: text, defaultZone: .utc)! }

    @Test func nineOClockOnBothSidesOfEuropeanChanges() {
        #expect(
            berlin.rfc3339(berlin.instant(of: CivilDate(iso: "2025-03-29")!, at: nine)) == "2025-03-29T09:00:00+01:00")
        #expect(
            berlin.rfc3339(berlin.instant(of: CivilDate(iso: "2025-03-30")!, at: nine)) == "2025-03-30T09:00:00+02:00")
        #expect(
            berlin.rfc3339(berlin.instant(of: CivilDate(iso: "2025-10-25")!, at: nine)) == "2025-10-25T09:00:00+02:00")
        #expect(
            berlin.rfc3339(berlin.instant(of: CivilDate(iso: "2025-10-26")!, at: nine)) == "2025-10-26T09:00:00+01:00")
        #expect(berlin.instant(of: CivilDate(iso: "2025-10-26")!, at: nine) == at("2025-10-26T08:00:00Z"))
    }

    @Test func nineOClockOnBothSidesOfAmericanChanges() {
        #expect(newYork.instant(of: CivilDate(iso: "2025-03-08")!, at: nine) == at("2025-03-08T14:00:00Z"))
        #expect(newYork.instant(of: CivilDate(iso: "2025-03-09")!, at: nine) == at("2025-03-09T13:00:00Z"))
        #expect(newYork.instant(of: CivilDate(iso: "2025-11-01")!, at: nine) == at("2025-11-01T13:00:00Z"))
        #expect(newYork.instant(of: CivilDate(iso: "2025-11-02")!, at: nine) == at("2025-11-02T14:00:00Z"))
    }

    @Test func skippedAndRepeatedTimes() {
        // 02:30 does not exist in Berlin on 2025-03-30: it moves forward by the hour skipped.
        let gap = berlin.instant(of: CivilDate(iso: "2025-03-30")!, at: TimeOfDay(hour: 2, minute: 30)!)
        #expect(berlin.rfc3339(gap) == "2025-03-30T03:30:00+02:00")
        // 02:30 happens twice on 2025-10-26: the first one counts.
        let twice = berlin.instant(of: CivilDate(iso: "2025-10-26")!, at: TimeOfDay(hour: 2, minute: 30)!)
        #expect(berlin.rfc3339(twice) == "2025-10-26T02:30:00+02:00")
    }

    @Test func midnightAndLocalDates() {
        #expect(berlin.midnight(of: CivilDate(iso: "2025-11-03")!) == at("2025-11-02T23:00:00Z"))
        #expect(berlin.localDate(of: at("2025-11-02T23:30:00Z")).description == "2025-11-03")
        #expect(newYork.localDate(of: at("2025-11-03T03:00:00Z")).description == "2025-11-02")
    }

    @Test func parsesInstants() {
        #expect(Instant(iso: "2025-10-27T09:00:00+01:00", defaultZone: .utc) == at("2025-10-27T08:00:00Z"))
        #expect(Instant(iso: "2025-10-27T09:00:00-04:30", defaultZone: .utc) == at("2025-10-27T13:30:00Z"))
        #expect(Instant(iso: "2025-10-27T09:00", defaultZone: berlin) == at("2025-10-27T08:00:00Z"))
        #expect(Instant(iso: "2025-10-27", defaultZone: berlin) == at("2025-10-26T23:00:00Z"))
        #expect(Instant(iso: "2025-10-27T09:00:00.250Z", defaultZone: .utc) == at("2025-10-27T09:00:00Z"))
        for bad in ["yesterday", "2025-10-27T9:00", "2025-10-27T09:00:00+1", "2025-10-27T25:00", "2025-02-30"] {
            #expect(Instant(iso: bad, defaultZone: .utc) == nil, "\(bad)")
        }
    }

    @Test func unknownZonesAreRejected() {
        #expect(Zone(identifier: "Mars/Olympus_Mons") == nil)
        #expect(Zone(identifier: "") == nil)
        #expect(Zone(identifier: "Asia/Tokyo") == Zone(identifier: "Asia/Tokyo"))
        #expect(Zone(identifier: "Asia/Tokyo") != Zone(identifier: "Asia/Seoul"))
        #expect(Zone(identifier: "Asia/Tokyo")?.identifier == "Asia/Tokyo")
    }

    @Test func timesOfDayAndIntervals() {
        #expect(TimeOfDay(parsing: "09:00") == TimeOfDay(hour: 9, minute: 0))
        #expect(TimeOfDay(parsing: "23:59") != nil)
        for bad in ["9:00", "24:00", "12:60", "0900", "09:00:00", "a9:00"] {
            #expect(TimeOfDay(parsing: bad) == nil, "\(bad)")
        }
        #expect(ReminderInterval(parsing: "30d") == .days(30))
        #expect(ReminderInterval(parsing: "2w") == .days(14))
        #expect(ReminderInterval(parsing: "12h") == .hours(12))
        #expect(ReminderInterval(parsing: "0d")?.isZero == true)
        for bad in ["30", "d", "3x", "-1d", "1.5d", " 1d"] { #expect(ReminderInterval(parsing: bad) == nil, "\(bad)") }
    }
}
