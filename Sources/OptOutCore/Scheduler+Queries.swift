extension Scheduler {
    /// When the next notice is due; `nil` when nothing ever will be.
    public var nextDue: Instant? {
        firstDue?.due
    }

    /// The pair that needs attention next, what it will get, and when, as of `now` (`nil`
    /// when nothing ever will).
    public func upcoming(from now: Instant) -> (pair: PairKey, event: EventKind, at: Instant)? {
        guard let entry = firstDue, let next = pairs[entry.pair].next else { return nil }
        return (key(of: entry.pair), next.event, sendingTime(of: next, pair: entry.pair, from: now))
    }

    /// What a pair gets next and when, as of `now`; `nil` when nothing ever will come, or
    /// when the policy does not apply to the account.
    public func nextEvent(_ key: PairKey, from now: Instant) -> (event: EventKind, at: Instant)? {
        guard let index = pairIndex(key), let next = pairs[index].next else { return nil }
        return (next.event, sendingTime(of: next, pair: index, from: now))
    }

    /// When `next` goes out: at its time, or, when that is now or past (a notice due at
    /// once, a missed one), now; outside `reminders.hours`, when they next begin in the
    /// account's zone, as the daemon would send it.
    private func sendingTime(of next: NextEvent, pair index: Int, from now: Instant) -> Instant {
        guard next.at <= now else { return next.at }
        let zone = configuration.accounts[pairs[index].account].zone
        return configuration.reminders.quiet.allowedInstant(atOrAfter: now, in: zone)
    }

    /// The histories of every pair seen so far.
    public var histories: [PairKey: PairHistory] {
        var result: [PairKey: PairHistory] = [:]
        for index in pairs.indices {
            if let history = pairs[index].history { result[key(of: index)] = history }
        }
        return result
    }

    /// Pairs whose policy applies to the account with some action not done.
    public var pendingPairCount: Int {
        pairs.indices.count { pairs.pendingLists.standing(pairs[$0].pending) == .pending }
    }

    /// The account with this id, if the configuration has one.
    public func account(_ id: String) -> Account? {
        configuration.account(id: id)
    }

    /// The keys of every pair, in configuration order.
    public var pairKeys: [PairKey] { pairs.indices.map(key(of:)) }

    /// The actions still to do for a pair; `nil` when the policy does not apply to the account.
    public func pendingActions(_ key: PairKey) -> [PolicyAction]? {
        pairIndex(key).map { pairs.pendingLists[pairs[$0].pending] }
    }

    /// The actions done for a pair; `nil` when the policy does not apply to the account.
    public func doneActions(_ key: PairKey) -> [PolicyAction]? {
        pairIndex(key).map { index in
            let account = configuration.accounts[pairs[index].account]
            let done = account.doneActionIDs(acknowledged: acknowledged[account.id], catalog: configuration.catalog)
            return configuration.catalog.policies[pairs[index].policy].actions.filter { done.contains($0.id) }
        }
    }

    /// The notice a record stands for.
    public func notice(for record: NoticeRecord) -> Notice {
        Notice(
            account: configuration.accounts[record.account], policy: configuration.catalog.policies[record.policy],
            event: record.event, date: record.date, at: record.at, utcOffset: record.utcOffset,
            pending: pairs.pendingLists[Int32(record.pending)], late: record.late)
    }

    /// The lists of pending actions that records name by index.
    public var pendingActionLists: [[PolicyAction]] { pairs.pendingLists.all }
}
