/// What the pairs of one zone share at one instant: the local date and UTC offset, and the
/// timetable of each policy for pairs first seen then.
///
/// On a first start every pair is seen at the same instant, and inventories name few zones:
/// each zone's offset is looked up once, and each timetable is found once per zone and
/// policy rather than once per pair. Only the latest instant looked at is remembered.
struct LocalTimeMemo: Sendable {
    private let policyCount: Int
    private var instant: Instant?
    /// By zone number; `nil` for zones not looked at since `instant`.
    private var zones: [ZoneAtInstant?] = []

    private struct ZoneAtInstant: Sendable {
        let date: CivilDate
        let offset: Int
        /// By policy index; `nil` until found.
        var timetables: [Int32?]
    }

    init(policyCount: Int) {
        self.policyCount = policyCount
    }

    /// The local date and UTC offset in `zone` at `instant`.
    mutating func localTime(of instant: Instant, in zone: Zone) -> (date: CivilDate, offset: Int) {
        withZone(zone, at: instant) { ($0.date, $0.offset) }
    }

    /// The timetable remembered for pairs of the policy at `policy` in `zone` first seen at
    /// `firstSeen`; else the local date of `firstSeen`, to make it from (see `remember`).
    mutating func timetable(policy: Int, zone: Zone, firstSeen: Instant) -> TimetableLookup {
        guard firstSeen == instant else { return .unknown(firstSeenDate: zone.localDate(of: firstSeen)) }
        return withZone(zone, at: firstSeen) { entry in
            entry.timetables[policy].map(TimetableLookup.known) ?? .unknown(firstSeenDate: entry.date)
        }
    }

    /// Remembers the timetable of pairs of the policy at `policy` in `zone` first seen at
    /// `firstSeen` when that is the latest instant looked at, as it is for pairs seen in
    /// this step.
    mutating func remember(timetable: Int32, policy: Int, zone: Zone, firstSeen: Instant) {
        guard firstSeen == instant else { return }
        withZone(zone, at: firstSeen) { $0.timetables[policy] = timetable }
    }

    enum TimetableLookup {
        /// Its index in the `TimetableStore`.
        case known(Int32)
        case unknown(firstSeenDate: CivilDate)
    }

    /// Runs `body` on the entry of `zone` at `instant`, made if needed (forgetting every
    /// other instant).
    private mutating func withZone<Result>(
        _ zone: Zone, at instant: Instant, _ body: (inout ZoneAtInstant) -> Result
    ) -> Result {
        if self.instant != instant { (self.instant, zones) = (instant, []) }
        let number = zone.number
        if number >= zones.count { zones += repeatElement(nil, count: number + 1 - zones.count) }
        var entry: ZoneAtInstant
        if let known = zones[number] {
            entry = known
            zones[number] = nil  // so that `entry` holds its arrays alone while `body` changes them
        } else {
            let offset = zone.offset(at: instant)
            entry = ZoneAtInstant(
                date: CivilDate(dayNumber: (instant.secondsSince1970 + offset).floorDivided(by: 86_400)),
                offset: offset, timetables: Array(repeating: nil, count: policyCount))
        }
        let result = body(&entry)
        zones[number] = entry
        return result
    }
}
