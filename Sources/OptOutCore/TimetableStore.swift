/// The timetables made so far, each made once and shared by the pairs of one policy, zone and
/// overdue base, by index.
struct TimetableStore: Sendable {
    private var timetables: [[ScheduledNotice]] = []
    /// What each timetable was made for, by index.
    private var keys: [Timetable.Key] = []
    private var indices: [Timetable.Key: Int32] = [:]
    /// The timetables of pairs with overdue notices handled, by what they continue from: the
    /// pairs of a policy and zone reach each repeat together, and this spares each of them
    /// the zone's local date.
    private var continuations: [Continuation: Int32] = [:]

    private struct Continuation: Hashable {
        var policy: Int
        var zoneNumber: Int
        var overdueRepeats: Int
        var handledThrough: Instant
    }

    subscript(index: Int32) -> [ScheduledNotice] { timetables[Int(index)] }

    /// The index of the timetable for pairs of the policy at `index` in `zone` first seen at
    /// `firstSeen`, whose local date there is `firstSeenDate`, with no overdue notice handled;
    /// made when first asked for.
    mutating func index(
        policy index: Int, of catalog: Catalog, zone: Zone, firstSeen: Instant, firstSeenDate: CivilDate,
        reminders: ReminderSettings
    ) -> Int32 {
        let policy = catalog.policies[index]
        return self.index(
            of: Timetable.key(
                policy: index, policy, zone: zone, firstSeen: firstSeen, firstSeenDate: firstSeenDate,
                reminders: reminders),
            policy: policy, reminders: reminders)
    }

    /// The index of the timetable for pairs of the policy at `index` in the zone numbered
    /// `zoneNumber` (`zone` when it must be made) whose history has overdue notices handled.
    mutating func index(
        policy index: Int, of catalog: Catalog, zoneNumber: Int, zone: () -> Zone,
        continuingAfter history: PairHistory, reminders: ReminderSettings
    ) -> Int32 {
        let continuation = Continuation(
            policy: index, zoneNumber: zoneNumber, overdueRepeats: history.overdueRepeats,
            handledThrough: history.handledThrough)
        if let known = continuations[continuation] { return known }
        let policy = catalog.policies[index]
        let found = self.index(
            of: Timetable.key(
                policy: index, policy, zone: zone(), continuingAfter: history, reminders: reminders),
            policy: policy, reminders: reminders)
        continuations[continuation] = found
        return found
    }

    private mutating func index(of key: Timetable.Key, policy: Policy, reminders: ReminderSettings) -> Int32 {
        if let known = indices[key] { return known }
        timetables.append(Timetable.notices(for: key, policy: policy, reminders: reminders))
        keys.append(key)
        indices[key] = Int32(timetables.count - 1)
        return Int32(timetables.count - 1)
    }

    /// Whether the timetable at `index` goes on as one made after `notice` would (see
    /// `Timetable.continues`). Then the pair keeps its timetable, as pairs do that follow it
    /// without a change, and is spared making a new one at each repeat.
    func continues(
        _ index: Int32, after notice: ScheduledNotice, overdueRepeats: Int, every: ReminderInterval
    ) -> Bool {
        Timetable.continues(keys[Int(index)], after: notice, overdueRepeats: overdueRepeats, every: every)
    }

    /// Whether the timetable at `index` lists overdue repeats, the last of them not after
    /// `instant`.
    func repeatsEnd(_ index: Int32, by instant: Instant) -> Bool {
        timetables[Int(index)].last { $0.event == .overdue }.map { $0.at <= instant } ?? false
    }
}
