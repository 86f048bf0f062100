import Testing

@testable import OptOutCore

@Suite struct SchedulerTests {
    typealias F = Fixture

    @Test func fullTimetableAcrossTheEuropeanClockChange() {
        let scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [F.policy("p")]))
        let plan = scheduler.plan(from: F.at("2025-09-01T10:00:00Z"), until: F.at("2026-03-01T00:00:00Z"))
        #expect(
            timeline(plan) == [
                "2025-09-01T12:00:00+02:00 policy-applies",
                "2025-10-04T09:00:00+02:00 deadline-reminder",
                "2025-10-20T09:00:00+02:00 deadline-reminder",
                "2025-10-27T09:00:00+01:00 deadline-reminder",  // the day after the change: still 09:00 local
                "2025-11-02T09:00:00+01:00 deadline-reminder",
                "2025-11-03T09:00:00+01:00 policy-effective",
                "2025-11-10T09:00:00+01:00 overdue", "2025-11-17T09:00:00+01:00 overdue",
                "2025-11-24T09:00:00+01:00 overdue", "2025-12-01T09:00:00+01:00 overdue",
                "2025-12-08T09:00:00+01:00 overdue", "2025-12-15T09:00:00+01:00 overdue",
                "2025-12-22T09:00:00+01:00 overdue", "2025-12-29T09:00:00+01:00 overdue",
            ])
        #expect(plan.map(\.daysLeft) == [63, 30, 14, 7, 1, 0, -7, -14, -21, -28, -35, -42, -49, -56])
        #expect(plan.allSatisfy { $0.pending.map(\.id) == ["ai-improvement-toggle", "objection-form"] && !$0.late })
    }

    @Test func nineOClockAcrossTheAmericanClockChange() {
        let reminders = ReminderSettings(leadTimes: [.days(14), .days(7)], overdueEvery: .days(0))
        let scheduler = Scheduler(
            configuration: F.configuration(
                [F.account("bob", "US", zone: F.newYork)], [F.policy("p", effective: "2025-11-10", regions: ["US"])],
                reminders: reminders))
        let plan = scheduler.plan(from: F.at("2025-10-01T00:00:00Z"), until: F.at("2025-12-31T00:00:00Z"))
        #expect(
            timeline(plan) == [
                "2025-09-30T20:00:00-04:00 policy-applies",
                "2025-10-27T09:00:00-04:00 deadline-reminder",
                "2025-11-03T09:00:00-05:00 deadline-reminder",
                "2025-11-10T09:00:00-05:00 policy-effective",
            ])
    }

    @Test func leapDayAndMonthEnds() {
        let reminders = ReminderSettings(leadTimes: [.days(30), .days(1)], overdueEvery: .days(0))
        let scheduler = Scheduler(
            configuration: F.configuration(
                [F.account("a")], [F.policy("p", effective: "2028-03-01")], reminders: reminders))
        let plan = scheduler.plan(from: F.at("2028-01-01T00:00:00Z"), until: F.at("2028-04-01T00:00:00Z"))
        #expect(
            plan.map { "\($0.date) \($0.event.rawValue)" } == [
                "2028-01-01 policy-applies", "2028-01-31 deadline-reminder", "2028-02-29 deadline-reminder",
                "2028-03-01 policy-effective",
            ])
    }

    @Test func hourLeadTimesCountBackFromMidnightOfTheDeadline() {
        let reminders = ReminderSettings(leadTimes: [.hours(12)], overdueEvery: .hours(0))
        let scheduler = Scheduler(
            configuration: F.configuration([F.account("a")], [F.policy("p")], reminders: reminders))
        let plan = scheduler.plan(from: F.at("2025-11-01T00:00:00Z"), until: F.at("2025-11-05T00:00:00Z"))
        #expect(
            timeline(plan).dropFirst() == [
                "2025-11-02T12:00:00+01:00 deadline-reminder", "2025-11-03T09:00:00+01:00 policy-effective",
            ])
    }

    @Test func catchUpAfterAWeekOfDowntimeSendsOnlyTheLatestMissed() {
        let configuration = F.configuration([F.account("alice")], [F.policy("p")])
        var first = Scheduler(configuration: configuration)
        let seen = first.advance(to: F.at("2025-09-01T10:00:00Z"))
        #expect(seen.notices.map(\.event) == [.policyApplies])
        _ = first.advance(to: F.at("2025-10-04T07:00:00Z"))  // the 30-day reminder, on time
        // Down from 2025-10-18 to 2025-10-28: the 14- and 7-day reminders were missed.
        var restarted = Scheduler(configuration: configuration, histories: first.histories)
        let step = restarted.advance(to: F.at("2025-10-28T11:00:00Z"))
        #expect(timeline(step.notices) == ["2025-10-27T09:00:00+01:00 deadline-reminder late"])
        #expect(step.notices.first?.daysLeft == 7)
        #expect(
            step.skipped == [
                NoticeKey(
                    pair: PairKey(account: "alice", policy: "p"), event: .deadlineReminder,
                    date: CivilDate(iso: "2025-10-20")!)
            ])
        #expect(restarted.nextDue == F.at("2025-11-02T08:00:00Z"))
    }

    @Test func onTimeIsNotLateButAMinuteAfterIs() {
        let configuration = F.configuration([F.account("alice")], [F.policy("p")])
        var scheduler = Scheduler(configuration: configuration)
        _ = scheduler.advance(to: F.at("2025-10-01T00:00:00Z"))
        var copy = scheduler
        #expect(scheduler.advance(to: F.at("2025-10-04T07:00:30Z")).notices.map(\.late) == [false])
        #expect(copy.advance(to: F.at("2025-10-04T07:01:01Z")).notices.map(\.late) == [true])
    }

    @Test func restartWithHistorySendsNothingTwice() {
        let configuration = F.configuration([F.account("alice"), F.account("bob", "FR")], [F.policy("p")])
        var first = Scheduler(configuration: configuration)
        let now = F.at("2025-10-04T07:00:00Z")
        #expect(first.advance(to: now).notices.count == 2)
        var second = Scheduler(configuration: configuration, histories: first.histories)
        #expect(second.advance(to: now).isEmpty)
        #expect(second.nextDue == F.at("2025-10-20T07:00:00Z"))
    }

    @Test func aReplacementSchedulerTakesOnWhatWasRecordedWhileItWasBuilt() {
        let configuration = F.configuration([F.account("alice"), F.account("bob", "FR")], [F.policy("p")])
        var running = Scheduler(configuration: configuration)
        _ = running.advance(to: F.at("2025-10-01T00:00:00Z"))
        var replacement = Scheduler(configuration: configuration, histories: running.histories)  // read at reload start
        let meanwhile = running.advance(to: F.at("2025-10-04T07:00:00Z"))  // the loop kept delivering
        #expect(meanwhile.notices.count == 2)
        replacement.remember(meanwhile.histories)
        #expect(replacement.advance(to: F.at("2025-10-04T07:00:00Z")).isEmpty)
        #expect(replacement.nextDue == F.at("2025-10-20T07:00:00Z"))
    }

    @Test func firstSightingAfterTheDeadlineIsNotBackFilled() {
        let scheduler = Scheduler(configuration: F.configuration([F.account("late")], [F.policy("p")]))
        let plan = scheduler.plan(from: F.at("2025-12-01T15:00:00Z"), until: F.at("2026-01-01T00:00:00Z"))
        #expect(
            timeline(plan) == [
                "2025-12-01T16:00:00+01:00 policy-applies",
                "2025-12-08T09:00:00+01:00 overdue", "2025-12-15T09:00:00+01:00 overdue",
                "2025-12-22T09:00:00+01:00 overdue", "2025-12-29T09:00:00+01:00 overdue",
            ])
        #expect(plan.first?.daysLeft == -28)
        #expect(plan.first?.message.contains("since 2025-11-03") == true)
    }

    @Test func overdueStopsAfterTheMaximumAndZeroMeansNever() {
        let capped = ReminderSettings(leadTimes: [], overdueEvery: .days(1), overdueMax: 3)
        var scheduler = Scheduler(configuration: F.configuration([F.account("a")], [F.policy("p")], reminders: capped))
        let plan = scheduler.plan(from: F.at("2025-11-03T12:00:00Z"), until: F.at("2026-12-01T00:00:00Z"))
        #expect(plan.map(\.event) == [.policyApplies, .overdue, .overdue, .overdue])
        _ = scheduler.advance(to: F.at("2025-11-03T12:00:00Z"))
        // only the last of three
        #expect(scheduler.advance(to: F.at("2026-01-01T00:00:00Z")).notices.map(\.late) == [true])
        #expect(scheduler.nextDue == nil)

        let never = ReminderSettings(leadTimes: [.days(1)], overdueEvery: .days(0))
        let quiet = Scheduler(configuration: F.configuration([F.account("a")], [F.policy("p")], reminders: never))
        #expect(
            quiet.plan(from: F.at("2025-11-01T00:00:00Z"), until: F.at("2026-12-01T00:00:00Z")).map(\.event) == [
                .policyApplies, .deadlineReminder, .policyEffective,
            ])
    }

    @Test func doneInEachOfItsThreeForms() {
        let policies = [F.policy("p1"), F.policy("p2", actions: ["ai-improvement-toggle", "extra"])]
        let catalog = Catalog(policies)
        let accounts = [
            F.account("bare", done: [DoneMark(parsing: "ai-improvement-toggle", catalog: catalog)]),
            F.account("qualified", done: [DoneMark(parsing: "p2/extra", catalog: catalog)]),
            F.account("whole", done: [DoneMark(parsing: "p1", catalog: catalog)]),
        ]
        #expect(
            accounts.map(\.done) == [
                [.action("ai-improvement-toggle")], [.policyAction(policy: "p2", action: "extra")], [.policy("p1")],
            ])
        let scheduler = Scheduler(configuration: F.configuration(accounts, policies))
        func pending(_ account: String, _ policy: String) -> [String]? {
            scheduler.pendingActions(PairKey(account: account, policy: policy))?.map(\.id)
        }
        // An action id is the platform's switch: done once, done in every policy that asks for it.
        #expect(pending("bare", "p1") == ["objection-form"])
        #expect(pending("bare", "p2") == ["extra"])
        #expect(pending("qualified", "p1") == ["ai-improvement-toggle", "objection-form"])
        #expect(pending("qualified", "p2") == ["ai-improvement-toggle"])
        // A whole policy marks its actions, which p2 shares in part.
        #expect(pending("whole", "p1") == [])
        #expect(pending("whole", "p2") == ["extra"])
        #expect(scheduler.pendingPairCount == 5)
        // A pair with nothing pending and no history gets nothing at all.
        let plan = scheduler.plan(from: F.at("2025-10-01T00:00:00Z"), until: F.at("2025-10-02T00:00:00Z"))
        #expect(
            plan.map { "\($0.account.id)/\($0.policy.id)" } == [
                "bare/p1", "bare/p2", "qualified/p1", "qualified/p2", "whole/p2",
            ])
    }

    @Test func ackOfTheLastActionSendsOptedOutOnceAndStopsReminders() throws {
        var scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [F.policy("p")]))
        _ = scheduler.advance(to: F.at("2025-10-01T00:00:00Z"))
        let partialAck = scheduler.acknowledge(
            account: "alice", actions: ["ai-improvement-toggle"], at: F.at("2025-10-02T00:00:00Z"))
        let partial = try #require(partialAck)
        #expect(partial.notices.isEmpty)
        #expect(
            scheduler.advance(to: F.at("2025-10-04T07:00:00Z")).notices.map { $0.pending.map(\.id) } == [
                ["objection-form"]
            ])
        let lastAck = scheduler.acknowledge(
            account: "alice", actions: ["objection-form"], at: F.at("2025-10-05T00:00:00Z"))
        let last = try #require(lastAck)
        #expect(last.notices.map(\.event) == [.optedOut])
        #expect(last.notices.first?.pending.isEmpty == true)
        #expect(last.histories.first?.history.optedOut == true)
        #expect(scheduler.nextDue == nil)
        #expect(scheduler.advance(to: F.at("2026-06-01T00:00:00Z")).isEmpty)
        #expect(
            scheduler.acknowledge(account: "alice", actions: ["objection-form"], at: F.at("2026-06-01T00:00:00Z"))?
                .isEmpty == true)
        #expect(scheduler.acknowledge(account: "nobody", actions: [], at: F.at("2026-06-01T00:00:00Z")) == nil)
    }

    @Test func doneInConfigAfterASightingSendsOptedOutOnReload() {
        let policy = F.policy("p")
        var before = Scheduler(configuration: F.configuration([F.account("alice")], [policy]))
        _ = before.advance(to: F.at("2025-10-01T00:00:00Z"))
        var reloaded = Scheduler(
            configuration: F.configuration([F.account("alice", done: [.policy("p")])], [policy]),
            histories: before.histories)
        let step = reloaded.advance(to: F.at("2025-10-02T00:00:00Z"))
        #expect(step.notices.map(\.event) == [.optedOut])
        var again = Scheduler(configuration: reloaded.configuration, histories: reloaded.histories)
        #expect(again.advance(to: F.at("2025-10-03T00:00:00Z")).isEmpty)
    }

    @Test func aChangedRegionIsANewPair() {
        let policies = [F.policy("eu"), F.policy("us", regions: ["US"])]
        var before = Scheduler(configuration: F.configuration([F.account("mover", "DE")], policies))
        #expect(before.advance(to: F.at("2025-10-01T00:00:00Z")).notices.map(\.policy.id) == ["eu"])
        var after = Scheduler(
            configuration: F.configuration([F.account("mover", "US", zone: F.newYork)], policies),
            histories: before.histories)
        let step = after.advance(to: F.at("2025-10-02T00:00:00Z"))
        #expect(step.notices.map { "\($0.policy.id) \($0.event.rawValue)" } == ["us policy-applies"])
        #expect(after.pendingActions(PairKey(account: "mover", policy: "eu")) == nil)
    }

    @Test func aPolicyAddedLaterIsAnnouncedWithoutRepeatingOthers() {
        let first = F.policy("first")
        var before = Scheduler(configuration: F.configuration([F.account("a")], [first]))
        _ = before.advance(to: F.at("2025-10-01T00:00:00Z"))
        let added = F.policy("added", effective: "2026-02-01")
        var after = Scheduler(
            configuration: F.configuration([F.account("a")], [first, added]), histories: before.histories)
        #expect(
            after.advance(to: F.at("2025-10-02T00:00:00Z")).notices.map { "\($0.policy.id) \($0.event.rawValue)" } == [
                "added policy-applies"
            ])
    }

    @Test func accountsOutsideEveryRegionGetNothing() {
        let scheduler = Scheduler(
            configuration: F.configuration(
                [F.account("jp", "JP", zone: .utc), F.account("no", "NO")],
                [F.policy("p", regions: ["EEA"], except: ["NO"])]))
        #expect(scheduler.pairKeys.isEmpty)
        #expect(scheduler.nextDue == nil)
        #expect(scheduler.plan(from: F.at("2025-10-01T00:00:00Z"), until: F.at("2026-10-01T00:00:00Z")).isEmpty)
    }

    @Test func aWakeUpTouchesOnlyDuePairs() {
        // Two zones: Tokyo's 09:00 comes hours before Berlin's.
        let tokyo = Zone(identifier: "Asia/Tokyo")!
        var scheduler = Scheduler(
            configuration: F.configuration(
                [F.account("berlin"), F.account("tokyo", "DE", zone: tokyo)], [F.policy("p")]))
        _ = scheduler.advance(to: F.at("2025-10-01T00:00:00Z"))
        #expect(scheduler.nextDue == F.at("2025-10-04T00:00:00Z"))
        #expect(scheduler.advance(to: F.at("2025-10-04T00:00:00Z")).notices.map(\.account.id) == ["tokyo"])
        #expect(scheduler.nextDue == F.at("2025-10-04T07:00:00Z"))
        #expect(scheduler.advance(to: F.at("2025-10-04T06:59:59Z")).isEmpty)
        #expect(scheduler.advance(to: F.at("2025-10-04T07:00:00Z")).notices.map(\.account.id) == ["berlin"])
    }

    /// What `check` and the daemon's log say comes next is what the pair then gets.
    @Test func upcomingNamesTheEventThePairGetsNext() {
        var scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [F.policy("p")]))
        let first = F.at("2025-10-01T12:00:00Z")
        #expect(scheduler.upcoming(from: first)?.event == .policyApplies)
        #expect(scheduler.upcoming(from: first)?.at == first)
        _ = scheduler.advance(to: F.at("2025-11-02T12:00:00Z"))  // after the last reminder
        #expect(scheduler.upcoming(from: first)?.event == .policyEffective)
        #expect(scheduler.upcoming(from: first)?.at == F.at("2025-11-03T08:00:00Z"))
        #expect(scheduler.advance(to: F.at("2025-11-03T08:00:00Z")).notices.map(\.event) == [.policyEffective])
        #expect(scheduler.upcoming(from: first)?.event == .overdue)
        #expect(scheduler.upcoming(from: first)?.at == F.at("2025-11-10T08:00:00Z"))
        let done = scheduler.acknowledge(
            account: "alice", actions: ["ai-improvement-toggle", "objection-form"], at: F.at("2025-11-04T08:00:00Z"))
        #expect(done?.notices.map(\.event) == [.optedOut])
        #expect(scheduler.upcoming(from: first) == nil)
    }

    /// Outside `reminders.hours`, what is due at once is said to go out when the hours
    /// begin, as it then does; within them, now.
    @Test func upcomingMovesANoticeDueAtOnceIntoTheHours() throws {
        var reminders = ReminderSettings()
        reminders.quiet = QuietTimes(days: QuietTimes.none.days, hours: (8 * 3600)...(9 * 3600 - 1))
        var scheduler = Scheduler(
            configuration: F.configuration([F.account("alice")], [F.policy("p")], reminders: reminders))
        let evening = F.at("2025-10-01T18:00:00Z")  // 20:00 in Berlin
        let morning = F.at("2025-10-02T06:00:00Z")  // 08:00 in Berlin
        #expect(scheduler.upcoming(from: evening)?.at == morning)
        #expect(scheduler.nextEvent(PairKey(account: "alice", policy: "p"), from: evening)?.at == morning)
        let inHours = F.at("2025-10-02T06:30:00Z")
        #expect(scheduler.upcoming(from: inHours)?.at == inHours)
        #expect(scheduler.advance(to: evening).isEmpty)
        #expect(scheduler.advance(to: morning).notices.map(\.event) == [.policyApplies])
    }

    /// A notice missed while optoutd was down says when it was due and that it is late,
    /// rather than a count of days that was true then: read today, it would be wrong.
    @Test func aLateNoticeSaysWhenItWasDue() throws {
        var scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [F.policy("p")]))
        _ = scheduler.advance(to: F.at("2025-11-02T12:00:00Z"))
        let late = scheduler.advance(to: F.at("2026-12-01T12:00:00Z")).notices
        let notice = try #require(late.first)
        #expect(notice.late && notice.event == .overdue)
        #expect(
            notice.message
                == "alice: opting out of p (Policy p) is overdue since 2025-11-03 — Do ai-improvement-toggle; Do objection-form (sent late: it was due on \(notice.date))."
        )
    }

    /// A deadline D means "before D": on D itself the action is one day overdue, and the
    /// first overdue notice, a week later, counts eight, as the compliance report does.
    @Test func overdueNoticesCountDaysAsTheReportDoes() throws {
        let policy = F.policy("p", effective: "2025-10-01", deadline: "2025-11-03")
        var scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [policy]))
        _ = scheduler.advance(to: F.at("2025-11-02T12:00:00Z"))
        #expect(scheduler.advance(to: F.at("2025-11-09T12:00:00Z")).notices.isEmpty)
        let weekLater = try #require(scheduler.advance(to: F.at("2025-11-10T08:00:00Z")).notices.first)
        #expect(weekLater.event == .overdue && weekLater.daysOverdue == 8)
        #expect(weekLater.message.contains("overdue since 2025-11-03 (8 days) — "))
        #expect(policy.daysOverdue(on: CivilDate(iso: "2025-11-03")!) == 1)
        #expect(policy.daysOverdue(on: CivilDate(iso: "2025-11-02")!) == 0)
    }

    /// The first sighting a day before the deadline: one day left, not "1 days".
    @Test func aFirstSightingOnTheLastDayCountsOneDay() throws {
        var scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [F.policy("p")]))
        let first = try #require(scheduler.advance(to: F.at("2025-11-02T08:00:00Z")).notices.first)
        #expect(first.event == .policyApplies)
        #expect(first.message.contains("opt out before 2025-11-03 (1 day left) — "))
    }

    /// Pairs are many: the compact layout is what keeps a large schedule's memory down.
    @Test func aPairTakesFortyEightBytes() {
        #expect(MemoryLayout<SchedulerPair>.stride == 48)
    }
}
