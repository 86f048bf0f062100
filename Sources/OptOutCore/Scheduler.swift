/// The scheduling engine: given the configuration, what is done and what was already
/// handled, it says which notices are due at an instant and when the next one is.
///
/// It keeps a priority queue of each pair's next due time, so a wake-up costs
/// O(log n) per due pair rather than a scan of every pair. It never reads a clock:
/// callers pass `now`. What each pair gets is decided by `NoticeRule`.
public struct Scheduler: Sendable {
    /// What changed at one step: the notices to deliver, the ones passed over, and the
    /// pair histories to remember.
    public struct Step: Sendable {
        public var notices: [Notice]
        /// Notices missed while the daemon was down that are recorded but not sent.
        public var skipped: [NoticeKey]
        /// Pair histories that changed, in the order they changed.
        public var histories: [(pair: PairKey, history: PairHistory)]

        public init(
            notices: [Notice] = [], skipped: [NoticeKey] = [], histories: [(pair: PairKey, history: PairHistory)] = []
        ) {
            self.notices = notices
            self.skipped = skipped
            self.histories = histories
        }

        public var isEmpty: Bool { notices.isEmpty && skipped.isEmpty && histories.isEmpty }
    }

    public let configuration: Configuration
    /// A notice sent more than this many seconds after its time is marked late.
    public let lateAfterSeconds: Int

    private(set) var pairs: PairTable
    /// Action ids recorded as done by `ack`, by account id (besides the accounts' `done` entries).
    private(set) var acknowledged: [String: Set<String>]
    private var queue: DueQueue
    private var timetables = TimetableStore()
    private var localTimes: LocalTimeMemo
    /// Whether steps list changed histories and skipped notices; a plan has no use for them.
    var recordsChanges = true

    /// - Parameters:
    ///   - histories: what the state store remembers of each pair.
    ///   - acknowledged: action ids recorded as done by `ack`, per account id.
    ///   - parallel: runs the making of the pairs of large inventories in parts, a range of
    ///     accounts each; by default one after the other on the calling thread.
    public init(
        configuration: Configuration, histories: [PairKey: PairHistory] = [:],
        acknowledged: [String: Set<String>] = [:], lateAfterSeconds: Int = 60,
        parallel: any ParallelMap = SequentialMap()
    ) {
        self.init(
            configuration: configuration, histories: histories, acknowledged: acknowledged,
            lateAfterSeconds: lateAfterSeconds, parallel: parallel, smallestPart: PairTable.smallestPart)
    }

    /// `smallestPart`: the fewest accounts a part made apart holds.
    init(
        configuration: Configuration, histories: [PairKey: PairHistory], acknowledged: [String: Set<String>],
        lateAfterSeconds: Int, parallel: any ParallelMap, smallestPart: Int
    ) {
        self.configuration = configuration
        self.lateAfterSeconds = lateAfterSeconds
        self.acknowledged = acknowledged
        pairs = PairTable(
            configuration: configuration, histories: histories, acknowledged: acknowledged, parallel: parallel,
            smallestPart: smallestPart)
        localTimes = LocalTimeMemo(policyCount: configuration.catalog.policies.count)
        queue = DueQueue()
        var entries: [DueQueue.Entry] = []
        entries.reserveCapacity(pairs.indices.count)
        for index in pairs.indices {
            if let next = updateNext(of: index) { entries.append(DueQueue.Entry(due: next.at, pair: index)) }
        }
        queue = DueQueue(entries)
    }

    /// Everything due at `now`: each due pair is brought up to date, and the queue moves on.
    /// With `limit`, it stops once that many notices are in the step; what else is due stays
    /// due (`nextDue` <= `now`), for the next call.
    public mutating func advance(to now: Instant, limit: Int = .max) -> Step {
        var step = Step()
        let found = findDue(at: now, limit: limit, into: &step)
        step.notices = found.map(notice(for:))
        return step
    }

    /// Takes on pair histories recorded elsewhere since this scheduler's histories were read
    /// (such as by the scheduler it replaces on reload), and requeues those pairs.
    public mutating func remember(_ histories: [(pair: PairKey, history: PairHistory)]) {
        for (key, history) in histories {
            guard let index = pairIndex(key) else { continue }
            pairs[index].history = history
            pairs[index].timetable = nil
            if let next = updateNext(of: index) { queue.insert(DueQueue.Entry(due: next.at, pair: index)) }
        }
        dropSupersededEntries()
    }

    /// Records actions as done for an account (from `ack`) and brings its pairs up to date at `now`.
    /// Returns `nil` when the account is unknown.
    public mutating func acknowledge(account id: String, actions: some Sequence<String>, at now: Instant) -> Step? {
        guard let accountIndex = configuration.accountIndex(of: id) else { return nil }
        acknowledged[id, default: []].formUnion(actions)
        let done = configuration.accounts[accountIndex].doneActionIDs(
            acknowledged: acknowledged[id], catalog: configuration.catalog)
        var step = Step()
        var found: [NoticeRecord] = []
        for index in pairs.pairs(ofAccount: accountIndex) {
            pairs.setPending(index, done: done, catalog: configuration.catalog)
            if let due = evaluate(index, at: now, into: &step, found: &found) {
                queue.insert(DueQueue.Entry(due: due, pair: index))
            }
        }
        dropSupersededEntries()
        step.notices = found.map(notice(for:))
        return step
    }

    /// Brings the pairs due at `now` up to date, until `limit` notices are found; returns
    /// them, and records skipped notices and changed histories in `step`.
    mutating func findDue(at now: Instant, limit: Int, into step: inout Step) -> [NoticeRecord] {
        var found: [NoticeRecord] = []
        while let entry = queue.min, entry.due <= now, found.count < limit {
            guard pairs[entry.pair].next?.at == entry.due else {  // superseded
                queue.removeMin()
                continue
            }
            if let due = evaluate(entry.pair, at: now, into: &step, found: &found) {
                queue.replaceMin(with: DueQueue.Entry(due: due, pair: entry.pair))
            } else {
                queue.removeMin()
            }
        }
        dropSupersededEntries()
        return found
    }

    /// Applies the rule to one pair at `now`: adds what it is sent to `found` and what changed
    /// to `step`, and returns its next due time, which the caller queues.
    private mutating func evaluate(
        _ index: Int, at now: Instant, into step: inout Step, found: inout [NoticeRecord]
    ) -> Instant? {
        let pair = pairs[index]
        let outcome = NoticeRule.evaluate(
            history: pair.history, standing: pairs.pendingLists.standing(pair.pending), at: now,
            lateAfterSeconds: lateAfterSeconds, escalateAfter: configuration.reminders.escalateAfter,
            timetable: { timetable(of: index) })
        // Outside `reminders.hours`, what would go out at once (a first sighting, a catch-up,
        // opted-out) waits for the hours to begin; the rule is asked again then. Without
        // hours nothing waits, and the account (far off in memory) is not looked up.
        if let waiting = outcome.sending?.sentAtOnce, configuration.reminders.quiet.hours != nil {
            let zone = configuration.accounts[pair.account].zone
            let allowed = configuration.reminders.quiet.allowedInstant(atOrAfter: now, in: zone)
            if allowed > now {
                pairs[index].next = NextEvent(at: allowed, event: waiting)
                return allowed
            }
        }
        if recordsChanges, !outcome.skipped.isEmpty {
            for missed in outcome.skipped {
                step.skipped.append(NoticeKey(pair: key(of: index), event: missed.event, date: missed.date))
            }
        }
        let region = pairs.region(ofAccount: pair.account)
        switch outcome.sending {
        case .now(let event):
            let local = localTime(of: now, pair: pair)
            found.append(
                NoticeRecord(
                    account: pair.account, region: region, policy: pair.policy, pending: Int(pair.pending),
                    event: event,
                    date: local.date, at: now, utcOffset: local.offset, late: false))
        case .scheduled(let notice, let late):
            for companion in outcome.companions {
                found.append(
                    NoticeRecord(
                        account: pair.account, region: region, policy: pair.policy, pending: Int(pair.pending),
                        event: companion.event,
                        date: companion.date, at: companion.at, utcOffset: companion.utcOffset, late: late))
            }
            found.append(
                NoticeRecord(
                    account: pair.account, region: region, policy: pair.policy, pending: Int(pair.pending),
                    event: notice.event,
                    date: notice.date, at: notice.at, utcOffset: notice.utcOffset, late: late))
        case nil:
            break
        }
        if outcome.history != pair.history, let history = outcome.history {
            // The timetable holds the overdue repeats still to come, counted from the latest:
            // a handled one changes it, unless it came as the timetable had it.
            if history.overdueRepeats != pair.history?.overdueRepeats, let known = pairs[index].timetable,
                case .scheduled(let latest, _) = outcome.sending,
                !timetables.continues(
                    known, after: latest, overdueRepeats: history.overdueRepeats,
                    every: configuration.reminders.overdueEvery)
            {
                pairs[index].timetable = nil
            }
            pairs[index].history = history
            if recordsChanges { step.histories.append((key(of: index), history)) }
        }
        return updateNext(of: index)?.at
    }

    /// Finds when the pair at `index` next needs attention, and keeps it in the pair.
    @discardableResult
    private mutating func updateNext(of index: Int) -> NextEvent? {
        let next = NoticeRule.next(
            history: pairs[index].history, standing: pairs.pendingLists.standing(pairs[index].pending),
            timetable: { timetable(of: index) })
        pairs[index].next = next
        return next
    }

    /// Pops queue entries left behind by re-evaluated pairs, so that `nextDue` is exact.
    private mutating func dropSupersededEntries() {
        while let entry = queue.min, pairs[entry.pair].next?.at != entry.due { queue.removeMin() }
    }

    /// The pair's timetable; the pair must have been seen.
    mutating func timetable(of index: Int) -> [ScheduledNotice] {
        if let known = pairs[index].timetable { return timetables[known] }
        let pair = pairs[index]
        let found: Int32
        if let history = pair.history, history.overdueRepeats > 0 {
            found = continuingTimetable(of: pair, after: history)
        } else {
            let first = firstTimetable(of: pair)
            // Repeats that all fell before the latest notice handled, none of them handled
            // (the deadline was moved back past them), go on from that notice instead, so
            // that the pair is still told it is overdue. A pair just seen has its repeats
            // ahead: they count from its first sighting at the earliest.
            if let history = pair.history, !history.handledOnlyTheSighting,
                timetables.repeatsEnd(first, by: history.handledThrough)
            {
                found = continuingTimetable(of: pair, after: history)
            } else {
                found = first
            }
        }
        pairs[index].timetable = found
        return timetables[found]
    }

    /// The timetable of a pair that had no overdue notice, its repeats counted from the
    /// deadline or the first sighting.
    private mutating func firstTimetable(of pair: SchedulerPair) -> Int32 {
        let zoneNumber = pair.zone
        let firstSeen = pair.history?.firstSeen ?? .distantPast
        if let known = localTimes.timetable(policy: pair.policy, zone: zoneNumber, firstSeen: firstSeen) {
            return known
        }
        let zone = configuration.accounts[pair.account].zone
        let found = timetables.index(
            policy: pair.policy, of: configuration.catalog, zone: zone, firstSeen: firstSeen,
            firstSeenDate: localTimes.localTime(of: firstSeen, zone: zoneNumber)?.date ?? zone.localDate(of: firstSeen),
            reminders: configuration.reminders)
        localTimes.remember(timetable: found, policy: pair.policy, zone: zoneNumber, firstSeen: firstSeen)
        return found
    }

    /// The timetable of a pair whose repeats go on from the latest notice handled.
    private mutating func continuingTimetable(of pair: SchedulerPair, after history: PairHistory) -> Int32 {
        timetables.index(
            policy: pair.policy, of: configuration.catalog, zoneNumber: pair.zone,
            zone: { configuration.accounts[pair.account].zone }, continuingAfter: history,
            reminders: configuration.reminders)
    }

    /// The local time at `now` of the pair's account.
    private mutating func localTime(of now: Instant, pair: SchedulerPair) -> LocalTime {
        let zoneNumber = pair.zone
        if let known = localTimes.localTime(of: now, zone: zoneNumber) { return known }
        let local = LocalTime(of: now, in: configuration.accounts[pair.account].zone)
        localTimes.remember(local, of: now, zone: zoneNumber)
        return local
    }

    /// The pair with this key: among the account's few pairs, the one of the policy.
    func pairIndex(_ key: PairKey) -> Int? {
        guard let accountIndex = configuration.accountIndex(of: key.account) else { return nil }
        let policies = configuration.catalog.policies
        return pairs.pairs(ofAccount: accountIndex).first { policies[pairs[$0].policy].id == key.policy }
    }

    func key(of index: Int) -> PairKey {
        PairKey(
            account: configuration.accounts[pairs[index].account].id,
            policy: configuration.catalog.policies[pairs[index].policy].id)
    }

    /// The earliest queue entry.
    var firstDue: DueQueue.Entry? { queue.min }
}

extension Instant {
    /// Earlier than any real instant: "due at once".
    public static let distantPast = Instant(secondsSince1970: Int.min / 2)
}
