/// A local date and UTC offset in some zone at some instant.
struct LocalTime: Sendable {
    var date: CivilDate
    /// Seconds east of UTC.
    var offset: Int

    init(of instant: Instant, in zone: Zone) {
        offset = zone.offset(at: instant)
        date = CivilDate(dayNumber: (instant.secondsSince1970 + offset).floorDivided(by: 86_400))
    }
}

/// What the pairs of one zone share at one instant: the local time, and the timetable of each
/// policy for pairs first seen then.
///
/// On a first start every pair is seen at the same instant, and inventories name few zones:
/// each zone's offset is looked up once, and each timetable is found once per zone and
/// policy rather than once per pair. Only the latest instant remembered counts. Zones go by
/// number: copying a zone counts references, which its number spares until it is needed.
struct LocalTimeMemo: Sendable {
    private let policyCount: Int
    private var latest: Instant?
    /// By zone number; an entry counts only while its instant is `latest`.
    private var zones: [ZoneAtInstant] = []

    private struct ZoneAtInstant: Sendable {
        var instant: Instant?
        var local: LocalTime?
        /// By policy index; `nil` until remembered.
        var timetables: [Int32?]
    }

    init(policyCount: Int) {
        self.policyCount = policyCount
    }

    /// The local time remembered for the zone numbered `zone` at `instant`.
    func localTime(of instant: Instant, zone: Int) -> LocalTime? {
        isCurrent(zone, at: instant) ? zones[zone].local : nil
    }

    /// Remembers the local time of the zone numbered `zone` at `instant`, which becomes the
    /// latest instant (what was remembered for others no longer counts).
    mutating func remember(_ local: LocalTime, of instant: Instant, zone: Int) {
        latest = instant
        if zone >= zones.count {
            let unknown = ZoneAtInstant(instant: nil, local: nil, timetables: [])
            zones += repeatElement(unknown, count: zone + 1 - zones.count)
        }
        zones[zone] = ZoneAtInstant(
            instant: instant, local: local, timetables: Array(repeating: nil, count: policyCount))
    }

    /// The index in the `TimetableStore` remembered for pairs of the policy at `policy` in
    /// the zone numbered `zone`, first seen at `firstSeen`.
    func timetable(policy: Int, zone: Int, firstSeen: Instant) -> Int32? {
        isCurrent(zone, at: firstSeen) ? zones[zone].timetables[policy] : nil
    }

    /// Remembers a timetable (see `timetable(policy:zone:firstSeen:)`) when the zone's local
    /// time at `firstSeen` is remembered, as it is for pairs first seen in this step.
    mutating func remember(timetable: Int32, policy: Int, zone: Int, firstSeen: Instant) {
        guard isCurrent(zone, at: firstSeen) else { return }
        zones[zone].timetables[policy] = timetable
    }

    private func isCurrent(_ zone: Int, at instant: Instant) -> Bool {
        instant == latest && zone < zones.count && zones[zone].instant == instant
    }
}
