extension Scheduler {
    /// Every notice from `now` until `horizon`, as the daemon would deliver them if it ran
    /// throughout: what is due at once (new pairs, the latest missed notice), then each
    /// scheduled one. The scheduler itself is not changed.
    public func plan(from now: Instant, until horizon: Instant) -> [Notice] {
        var records: [NoticeRecord] = []
        var scheduler = self
        scheduler.simulate(from: now, until: horizon) { records += $0 }
        return records.map(scheduler.notice(for:))
    }

    /// Like `plan(from:until:)`, handing the notices to `body` in order as records, a few
    /// thousand at a time, so that a long plan needs little memory even when every pair is
    /// due at once. Records may go to another thread, resolved there against the
    /// configuration and `pendingActionLists`.
    ///
    /// The scheduler moves on to `horizon`, as if it had delivered them; working on this one
    /// rather than a copy spares the copy of every pair.
    public mutating func simulate(from now: Instant, until horizon: Instant, _ body: ([NoticeRecord]) -> Void) {
        // A plan has no use for the changed histories and skipped notices of each step.
        recordsChanges = false
        defer { recordsChanges = true }
        var wakeUp = now
        var unrecorded = Step()
        while true {
            let found = findDue(at: wakeUp, limit: Self.simulationSlice, into: &unrecorded)
            if !found.isEmpty { body(found) }
            guard let next = nextDue, next <= horizon else { break }
            wakeUp = max(next, now)
        }
    }

    /// Notices handed to `simulate`'s body at once.
    static let simulationSlice = 4096
}
