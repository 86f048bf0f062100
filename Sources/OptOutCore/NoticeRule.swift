/// Where a pair stands with its policy's actions.
enum PairStanding: Sendable {
    /// Some action is not done: the pair follows its timetable until it is.
    case pending
    /// Every action is done: the pair gets `opted-out` once.
    case done
    /// The policy offers no action: the pair is told of the change, when it is first seen and
    /// on the effective date, and is never reminded nor done.
    case informational
}

/// When a pair next needs attention, and what it will get then.
struct NextEvent: Equatable, Sendable {
    /// `Instant.distantPast` for "at once".
    var at: Instant
    var event: EventKind
}

/// What a pair is sent: an event found at the instant it is looked at, or a notice of its
/// timetable (late when sent well after its time).
enum Sending: Sendable {
    case now(EventKind)
    case scheduled(ScheduledNotice, late: Bool)

    /// The event, when it goes out at once rather than at its scheduled time.
    var sentAtOnce: EventKind? {
        switch self {
        case .now(let event): event
        case .scheduled(let notice, late: true): notice.event
        case .scheduled(_, late: false): nil
        }
    }
}

/// The rule that decides what each pair is sent and when; plain values in, plain values out.
///
/// A pair that is seen for the first time gets `policy-applies` at once. From then on it
/// follows its timetable (deadline reminders, the effective date, overdue repeats; for an
/// informational policy the effective date alone): at each look, the latest notice whose
/// time has come is sent and any earlier ones not yet handled are passed over, so a daemon
/// that was down sends one notice, not a backlog. Each overdue notice past `escalate_after`
/// (counting the pair's overdue notices, sent or passed over) comes with an `escalation`.
/// Once every action is done, the pair gets `opted-out` once; if an action becomes pending
/// again, it goes back to its timetable.
enum NoticeRule {
    /// What a pair gets at `now`, and the history it has afterwards.
    struct Outcome {
        var sending: Sending?
        /// Notices due at the very time of the one sent, sent with it (an overdue notice and
        /// its escalation).
        var companions: [ScheduledNotice] = []
        /// The notices whose time came before the one sent, not sent.
        var skipped: [ScheduledNotice] = []
        /// `nil` while the pair was never seen.
        var history: PairHistory?
    }

    /// - Parameters:
    ///   - history: what was handled for the pair; `nil` when it was never seen.
    ///   - timetable: the pair's timetable, asked for only when the pair follows it.
    ///   - lateAfterSeconds: a notice sent more than this after its time is late.
    ///   - escalateAfter: `reminders.escalate_after`.
    static func evaluate(
        history: PairHistory?, standing: PairStanding, at now: Instant, lateAfterSeconds: Int,
        escalateAfter: Int?, timetable: () -> [ScheduledNotice]
    ) -> Outcome {
        switch (standing, history) {
        case (.done, nil):
            // Done before it was ever seen: nothing to tell.
            return Outcome(history: nil)
        case (.done, var seen?):
            guard !seen.optedOut else { return Outcome(history: seen) }
            seen.optedOut = true
            return Outcome(sending: .now(.optedOut), history: seen)
        case (.pending, nil), (.informational, nil):
            return Outcome(sending: .now(.policyApplies), history: PairHistory(firstSeen: now, handledThrough: now))
        case (.pending, var seen?), (.informational, var seen?):
            seen.optedOut = false
            let timetable = timetable()
            // Sorted by time: what was handled by its time comes first, then what is due.
            var first = 0
            while first < timetable.count, timetable[first].at <= seen.handledThrough { first += 1 }
            var end = first
            while end < timetable.count, timetable[end].at <= now { end += 1 }
            guard let last = (first..<end).last(where: { !seen.hasHandled(timetable[$0]) }) else {
                return Outcome(history: seen)
            }
            var latest = timetable[last]
            var outcome = Outcome()
            var repeats = seen.overdueRepeats
            /// Counts an overdue notice, and says whether an escalation goes with it.
            func escalates(_ notice: ScheduledNotice) -> Bool {
                guard notice.event == .overdue else { return false }
                repeats += 1
                return escalateAfter.map { repeats > $0 } ?? false
            }
            for index in first..<last where !seen.hasHandled(timetable[index]) {
                let notice = timetable[index]
                let sentWithLatest = notice.at == latest.at
                let escalation = escalates(notice) ? [notice.asEvent(.escalation)] : []
                if sentWithLatest {
                    outcome.companions += [notice] + escalation
                } else {
                    outcome.skipped += [notice] + escalation
                }
            }
            if escalates(latest) {
                outcome.companions.append(latest)
                latest = latest.asEvent(.escalation)
            }
            seen.handledThrough = latest.at
            seen.overdueRepeats = repeats
            let late = now.secondsSince1970 - latest.at.secondsSince1970 > lateAfterSeconds
            outcome.sending = .scheduled(latest, late: late)
            outcome.history = seen
            return outcome
        }
    }

    /// When a pair next needs attention: at once when it is new or newly done, else at its
    /// next notice; `nil` when never.
    static func next(history: PairHistory?, standing: PairStanding, timetable: () -> [ScheduledNotice])
        -> NextEvent?
    {
        switch (standing, history) {
        case (.done, nil):
            return nil
        case (.done, let seen?):
            return seen.optedOut ? nil : NextEvent(at: .distantPast, event: .optedOut)
        case (.pending, nil), (.informational, nil):
            return NextEvent(at: .distantPast, event: .policyApplies)
        case (.pending, let seen?), (.informational, let seen?):
            return timetable().first { !seen.hasHandled($0) }.map { NextEvent(at: $0.at, event: $0.event) }
        }
    }
}

extension PairHistory {
    /// Whether a notice of the pair's timetable was handled: its time is not after the latest
    /// one handled, or it was planned for a day on or before that one's day. A notice that a
    /// change of `reminders.at`, of the account's zone or of `reminders.days` moved later
    /// that day or to a later day is the one already handled, not a new one. A first
    /// sighting handles no day: the notices later on its day still come.
    func hasHandled(_ notice: ScheduledNotice) -> Bool {
        if notice.at <= handledThrough { return true }
        guard let planned = notice.plannedDate, !handledOnlyTheSighting else { return false }
        // The latest handled time's local day, taken at the notice's UTC offset: a change of
        // offset between the two (summer time) moves that day only for a time within an hour
        // or so of midnight, far from the hours notices are sent at.
        let handledDay = (handledThrough.secondsSince1970 + notice.utcOffset).floorDivided(by: 86_400)
        return planned.dayNumber <= handledDay
    }
}
