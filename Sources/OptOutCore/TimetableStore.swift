/// The timetables made so far, each made once and shared by the pairs of one policy, zone and
/// overdue base, by index.
struct TimetableStore: Sendable {
    private var timetables: [[ScheduledNotice]] = []
    private var indices: [Timetable.Key: Int32] = [:]

    subscript(index: Int32) -> [ScheduledNotice] { timetables[Int(index)] }

    /// The index of the timetable for pairs of the policy at `index` in `zone` first seen at
    /// `firstSeen`, whose local date there is `firstSeenDate`; made when first asked for.
    mutating func index(
        policy index: Int, of catalog: Catalog, zone: Zone, firstSeen: Instant, firstSeenDate: CivilDate,
        reminders: ReminderSettings
    ) -> Int32 {
        let policy = catalog.policies[index]
        let key = Timetable.key(
            policy: index, policy, zone: zone, firstSeen: firstSeen, firstSeenDate: firstSeenDate,
            reminders: reminders)
        if let known = indices[key] { return known }
        timetables.append(Timetable.notices(for: key, policy: policy, reminders: reminders))
        indices[key] = Int32(timetables.count - 1)
        return Int32(timetables.count - 1)
    }
}
