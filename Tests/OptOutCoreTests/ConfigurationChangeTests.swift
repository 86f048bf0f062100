import Testing

@testable import OptOutCore

/// The reminder settings change between runs, over a store that remembers what was sent: a
/// notice already handled is not sent again, and the overdue repeats keep their count.
///
/// The deadline is Monday 3 November 2025; the account is in Berlin.
@Suite struct ConfigurationChangeTests {
    typealias F = Fixture

    static let policy = F.policy("training", effective: "2025-11-03")
    static let pair = PairKey(account: "alice", policy: "training")

    static func configuration(_ reminders: ReminderSettings, zone: Zone = F.berlin) -> Configuration {
        F.configuration([F.account("alice", zone: zone)], [policy], reminders: reminders)
    }

    /// A scheduler that saw the pair on 1 September and went on to `until`.
    static func ran(_ reminders: ReminderSettings, until: String) -> Scheduler {
        var scheduler = Scheduler(configuration: configuration(reminders))
        _ = scheduler.advance(to: F.at("2025-09-01T10:00:00Z"))
        _ = scheduler.advance(to: F.at(until))
        return scheduler
    }

    /// What a scheduler with `reminders`, started over what `before` handled, sends from
    /// `from` until `until`.
    static func plan(
        after before: Scheduler, _ reminders: ReminderSettings, zone: Zone = F.berlin, from: String,
        until: String
    ) -> [String] {
        Scheduler(configuration: configuration(reminders, zone: zone), histories: before.histories)
            .plan(from: F.at(from), until: F.at(until)).map { "\($0.localTime) \($0.event.rawValue)" }
    }

    static let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    /// Alice leaves the policy's regions after the 30-day reminder and is back once the
    /// 14-day one was due. Hers is the same pair: no second `policy-applies`, and the
    /// 14-day reminder missed meanwhile comes late, as after downtime.
    @Test func anAccountBackInThePolicysRegionsGoesOnWhereItWas() {
        let before = Self.ran(ReminderSettings(), until: "2025-10-04T07:00:00Z")
        let away = Scheduler(
            configuration: F.configuration([F.account("alice", "US")], [Self.policy]), histories: before.histories)
        #expect(away.plan(from: F.at("2025-10-04T10:00:00Z"), until: F.at("2025-10-25T00:00:00Z")).isEmpty)
        var back = Scheduler(configuration: Self.configuration(ReminderSettings()), histories: before.histories)
        let notices = back.advance(to: F.at("2025-10-24T10:00:00Z")).notices
        #expect(notices.map(\.event) == [.deadlineReminder])
        #expect(notices.map(\.late) == [true])
        #expect(notices.map(\.daysLeft) == [14])
    }

    /// The 30-day reminder went out on Saturday 4 October; then `reminders.days` leaves out
    /// weekends. Moved to the Monday, it is the same reminder: the next is the 14-day one.
    @Test func aReminderMovedOffANewlyLeftOutDayIsNotSentAgain() {
        let before = Self.ran(ReminderSettings(), until: "2025-10-04T07:00:00Z")
        let weekdaysOnly = ReminderSettings(quiet: QuietTimes(days: Self.weekdays, hours: nil))
        #expect(
            Self.plan(after: before, weekdaysOnly, from: "2025-10-04T10:00:00Z", until: "2025-10-21T00:00:00Z") == [
                "2025-10-20T09:00:00+02:00 deadline-reminder"
            ])
    }

    /// The 30-day reminder went out at 09:00; then `reminders.at` becomes 18:00, or the
    /// account moves to New York, where 09:00 comes later. The day's reminder is not shown
    /// as due again, neither by `plan` nor as the pair's next notice in `status`.
    @Test func aLaterHourOrAZoneToTheWestDoesNotBringTheDaysReminderBack() {
        let before = Self.ran(ReminderSettings(), until: "2025-10-04T07:00:00Z")
        let evening = ReminderSettings(at: TimeOfDay(hour: 18, minute: 0)!)
        #expect(
            Self.plan(after: before, evening, from: "2025-10-04T10:00:00Z", until: "2025-10-21T00:00:00Z") == [
                "2025-10-20T18:00:00+02:00 deadline-reminder"
            ])
        #expect(
            Self.plan(
                after: before, ReminderSettings(), zone: F.newYork, from: "2025-10-04T10:00:00Z",
                until: "2025-10-21T00:00:00Z") == ["2025-10-20T09:00:00-04:00 deadline-reminder"])
        let moved = Scheduler(configuration: Self.configuration(evening), histories: before.histories)
        #expect(moved.nextEvent(Self.pair, from: F.at("2025-10-04T10:00:00Z"))?.at == F.at("2025-10-20T16:00:00Z"))
    }

    /// With the deadline on Tuesday 4 November, the 2-day reminder went out on Sunday; then
    /// `reminders.days` leaves out weekends, which moves it onto Monday, the day of the
    /// 1-day reminder, one reminder a day. That one never went out, and still comes.
    @Test func aReminderMovedOntoTheDayOfAnotherStillBringsThatOne() {
        let tuesday = F.policy("training", effective: "2025-11-04")
        var reminders = ReminderSettings(leadTimes: [.days(14), .days(2), .days(1)])
        var before = Scheduler(configuration: F.configuration([F.account("alice")], [tuesday], reminders: reminders))
        _ = before.advance(to: F.at("2025-10-01T10:00:00Z"))
        #expect(before.advance(to: F.at("2025-11-02T08:00:00Z")).notices.map(\.daysLeft) == [2])
        reminders.quiet = QuietTimes(days: Self.weekdays, hours: nil)
        let after = Scheduler(
            configuration: F.configuration([F.account("alice")], [tuesday], reminders: reminders),
            histories: before.histories)
        let plan = after.plan(from: F.at("2025-11-02T10:00:00Z"), until: F.at("2025-11-04T12:00:00Z"))
        #expect(
            timeline(plan) == [
                "2025-11-03T09:00:00+01:00 deadline-reminder", "2025-11-04T09:00:00+01:00 policy-effective",
            ])
        #expect(plan.first?.daysLeft == 1)
    }

    /// A first sighting is no notice of the day: seen at 08:00, the pair still gets the
    /// 30-day reminder at 09:00.
    @Test func aFirstSightingStillGetsTheLaterNoticeOfItsDay() {
        var scheduler = Scheduler(configuration: Self.configuration(ReminderSettings()))
        #expect(scheduler.advance(to: F.at("2025-10-04T06:00:00Z")).notices.map(\.event) == [.policyApplies])
        #expect(scheduler.advance(to: F.at("2025-10-04T07:00:00Z")).notices.map(\.event) == [.deadlineReminder])
    }

    static let weekly = ReminderSettings(leadTimes: [], overdueEvery: .days(7), overdueMax: 4)

    /// One weekly overdue notice went out (10 November); then repeats become daily, or
    /// fortnightly. The other three of `overdue_max` come that far apart from it, and no
    /// more: the maximum still counts every one sent.
    @Test(arguments: [
        (
            1,
            [
                "2025-11-11T09:00:00+01:00 overdue", "2025-11-12T09:00:00+01:00 overdue",
                "2025-11-13T09:00:00+01:00 overdue",
            ]
        ),
        (
            14,
            [
                "2025-11-24T09:00:00+01:00 overdue", "2025-12-08T09:00:00+01:00 overdue",
                "2025-12-22T09:00:00+01:00 overdue",
            ]
        ),
    ])
    func repeatsWithANewSpacingGoOnFromTheLatestOneToTheMaximum(days: Int, expected: [String]) {
        let before = Self.ran(Self.weekly, until: "2025-11-10T08:00:00Z")
        let respaced = ReminderSettings(leadTimes: [], overdueEvery: .days(days), overdueMax: 4)
        #expect(
            Self.plan(after: before, respaced, from: "2025-11-10T09:00:00Z", until: "2026-03-01T00:00:00Z") == expected)
    }

    /// `escalate_after: 2` with two overdue notices sent, then repeats every three days: the
    /// third overdue notice is the first to escalate, whatever the new spacing.
    @Test func escalationCountsTheOverdueNoticesSent() {
        let escalating = ReminderSettings(leadTimes: [], overdueEvery: .days(7), overdueMax: 4, escalateAfter: 2)
        let before = Self.ran(escalating, until: "2025-11-17T08:00:00Z")
        var every3 = escalating
        every3.overdueEvery = .days(3)
        #expect(
            Self.plan(after: before, every3, from: "2025-11-17T09:00:00Z", until: "2026-01-01T00:00:00Z") == [
                "2025-11-20T09:00:00+01:00 overdue", "2025-11-20T09:00:00+01:00 escalation",
                "2025-11-23T09:00:00+01:00 overdue", "2025-11-23T09:00:00+01:00 escalation",
            ])
    }

    /// A lower `overdue_max` than the repeats already sent ends them.
    @Test func aMaximumLoweredBelowWhatWasSentEndsTheRepeats() {
        let before = Self.ran(Self.weekly, until: "2025-11-17T08:00:00Z")
        var fewer = Self.weekly
        fewer.overdueMax = 1
        #expect(Self.plan(after: before, fewer, from: "2025-11-17T09:00:00Z", until: "2026-01-01T00:00:00Z").isEmpty)
    }

    /// Repeats missed while the daemon was down count too: after a month down, one late
    /// notice goes out and the rest of `overdue_max` follow on their days.
    @Test func repeatsMissedWhileDownCountTowardTheMaximum() {
        var scheduler = Self.ran(Self.weekly, until: "2025-11-03T10:00:00Z")
        let late = scheduler.advance(to: F.at("2025-11-25T10:00:00Z"))
        #expect(late.notices.map(\.event) == [.overdue])
        #expect(late.skipped.map(\.event) == [.overdue, .overdue])
        #expect(scheduler.histories[Self.pair]?.overdueRepeats == 3)
        let rest = scheduler.plan(from: F.at("2025-11-25T11:00:00Z"), until: F.at("2026-01-01T00:00:00Z"))
        #expect(timeline(rest) == ["2025-12-01T09:00:00+01:00 overdue"])
    }

    /// The deadline is corrected to 1 August, before the pair was first seen, after its
    /// 30-day reminder went out: the repeats it would have had all lie before that reminder.
    /// It is overdue, and is told so `overdue_max` times from then on.
    @Test func aDeadlineMovedFarBackStillBringsTheRepeats() {
        let reminders = ReminderSettings(overdueEvery: .days(7), overdueMax: 3)
        let before = Self.ran(reminders, until: "2025-10-04T07:00:00Z")
        let corrected = F.policy("training", effective: "2025-08-01")
        let scheduler = Scheduler(
            configuration: F.configuration([F.account("alice")], [corrected], reminders: reminders),
            histories: before.histories)
        #expect(
            timeline(scheduler.plan(from: F.at("2025-10-04T10:00:00Z"), until: F.at("2026-01-01T00:00:00Z"))) == [
                "2025-10-11T09:00:00+02:00 overdue", "2025-10-18T09:00:00+02:00 overdue",
                "2025-10-25T09:00:00+02:00 overdue",
            ])
    }

    /// Settings whose repeats move, merge, escalate or go by the hour.
    static let repeating: [ReminderSettings] = [
        ReminderSettings(),
        ReminderSettings(overdueEvery: .days(3), overdueMax: 9, quiet: QuietTimes(days: weekdays, hours: nil)),
        ReminderSettings(overdueEvery: .days(1), overdueMax: 12, quiet: QuietTimes(days: weekdays, hours: nil)),
        ReminderSettings(leadTimes: [.hours(36)], overdueEvery: .hours(36), overdueMax: 6, escalateAfter: 2),
        ReminderSettings(overdueEvery: .days(7), overdueMax: 5, escalateAfter: 1),
    ]

    /// Without a change, a restart changes nothing: a scheduler made again from what one that
    /// ran on time remembers plans what the running one plans, and what one plan from the
    /// start shows, whenever it restarts.
    @Test(arguments: repeating)
    func aRestartWithTheSameSettingsChangesNothing(_ reminders: ReminderSettings) {
        let accounts = [F.account("alice"), F.account("bob", "FR", zone: F.newYork)]
        let configuration = F.configuration(accounts, [Self.policy], reminders: reminders)
        let start = F.at("2025-09-01T10:00:00Z")
        let horizon = F.at("2026-02-01T00:00:00Z")
        let rows = { (notices: [Notice]) in notices.map { "\($0.account.id) \($0.localTime) \($0.event.rawValue)" } }
        let whole = rows(Scheduler(configuration: configuration).plan(from: start, until: horizon))
        #expect(whole.count > 10)
        for restart in ["2025-11-04T12:00:00Z", "2025-11-12T12:00:00Z", "2025-11-25T12:00:00Z", "2025-12-20T12:00:00Z"]
        {
            var running = Scheduler(configuration: configuration)
            var sent = rows(running.advance(to: start).notices)
            while let due = running.nextDue, due <= F.at(restart) { sent += rows(running.advance(to: due).notices) }
            let restarted = Scheduler(configuration: configuration, histories: running.histories)
            let rest = rows(restarted.plan(from: F.at(restart), until: horizon))
            #expect(sent + rest == whole, "restarted at \(restart)")
            #expect(rows(running.plan(from: F.at(restart), until: horizon)) == rest, "running at \(restart)")
        }
    }
}
