import Testing

@testable import OptOutCore

/// `reminders.days` and `reminders.hours`: nobody is told on a Saturday or at 03:30.
@Suite struct QuietTimesTests {
    typealias F = Fixture

    static let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
    /// 08:00 to 18:00.
    static let office = (8 * 3600)...(18 * 3600 - 1)

    func reminders(days: Set<Weekday> = Set(Weekday.allCases), hours: ClosedRange<Int>? = nil) -> ReminderSettings {
        ReminderSettings(quiet: QuietTimes(days: days, hours: hours))
    }

    @Test func weekdaysAreKnown() {
        #expect(CivilDate(iso: "1970-01-01")!.weekday == .thursday)
        #expect(CivilDate(iso: "2025-10-04")!.weekday == .saturday)
        #expect(CivilDate(iso: "2025-11-03")!.weekday == .monday)
        #expect(Weekday(name: "sat") == .saturday)
        #expect(Weekday(name: "saturday") == nil)
    }

    /// The deadline is Monday 3 November 2025: its 30-day reminder (Saturday 4 October) moves
    /// to Monday, and the 1-day one (Sunday 2 November) would then come on the deadline
    /// itself, so it comes on the Friday before instead.
    @Test func scheduledNoticesMoveOffDaysThatAreNotAllowed() {
        let policy = F.policy("training", effective: "2025-11-03")
        let scheduler = Scheduler(
            configuration: F.configuration([F.account("alice")], [policy], reminders: reminders(days: Self.weekdays)))
        let plan = scheduler.plan(from: F.at("2025-09-01T10:00:00Z"), until: F.at("2025-11-20T00:00:00Z"))
        #expect(
            timeline(plan) == [
                "2025-09-01T12:00:00+02:00 policy-applies",
                "2025-10-06T09:00:00+02:00 deadline-reminder",
                "2025-10-20T09:00:00+02:00 deadline-reminder",
                "2025-10-27T09:00:00+01:00 deadline-reminder",
                "2025-10-31T09:00:00+01:00 deadline-reminder",
                "2025-11-03T09:00:00+01:00 policy-effective",
                "2025-11-10T09:00:00+01:00 overdue",
                "2025-11-17T09:00:00+01:00 overdue",
            ])
        #expect(
            plan.allSatisfy { Self.weekdays.contains(Zone(identifier: "Europe/Berlin")!.localDate(of: $0.at).weekday) })
    }

    /// First seen at 03:30 local time: the first notice waits for 08:00; acknowledged at
    /// 20:00, the opted-out waits for the next morning.
    @Test func noticesSentAtOnceWaitForTheHours() {
        let policy = F.policy("training", effective: "2026-11-03")
        var scheduler = Scheduler(
            configuration: F.configuration([F.account("alice")], [policy], reminders: reminders(hours: Self.office)))
        #expect(scheduler.advance(to: F.at("2026-06-01T01:30:00Z")).notices.isEmpty)  // 03:30 in Berlin
        #expect(scheduler.nextDue == F.at("2026-06-01T06:00:00Z"))
        let morning = scheduler.advance(to: F.at("2026-06-01T06:00:00Z"))
        #expect(timeline(morning.notices) == ["2026-06-01T08:00:00+02:00 policy-applies"])
        let evening = scheduler.acknowledge(
            account: "alice", actions: ["ai-improvement-toggle", "objection-form"], at: F.at("2026-06-01T18:00:00Z"))
        #expect(evening?.notices.isEmpty == true)
        #expect(scheduler.nextDue == F.at("2026-06-02T06:00:00Z"))
        #expect(
            timeline(scheduler.advance(to: F.at("2026-06-02T06:00:00Z")).notices) == [
                "2026-06-02T08:00:00+02:00 opted-out"
            ])
    }

    @Test func aPlanShowsTheMovedTimes() {
        let policy = F.policy("training", effective: "2026-11-03")
        let scheduler = Scheduler(
            configuration: F.configuration([F.account("alice")], [policy], reminders: reminders(hours: Self.office)))
        let plan = scheduler.plan(from: F.at("2026-06-01T20:00:00Z"), until: F.at("2026-06-03T00:00:00Z"))
        #expect(timeline(plan) == ["2026-06-02T08:00:00+02:00 policy-applies"])
    }
}

/// `reminders.escalate_after`: overdue notices past the limit also escalate.
@Suite struct EscalationTests {
    typealias F = Fixture

    @Test func overdueNoticesPastTheLimitAlsoEscalate() {
        let policy = F.policy("training", effective: "2025-11-03")
        let reminders = ReminderSettings(leadTimes: [], overdueMax: 4, escalateAfter: 2)
        let scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [policy], reminders: reminders))
        let plan = scheduler.plan(from: F.at("2025-11-03T10:00:00Z"), until: F.at("2025-12-31T00:00:00Z"))
        #expect(
            timeline(plan) == [
                "2025-11-03T11:00:00+01:00 policy-applies",
                "2025-11-10T09:00:00+01:00 overdue",
                "2025-11-17T09:00:00+01:00 overdue",
                "2025-11-24T09:00:00+01:00 overdue",
                "2025-11-24T09:00:00+01:00 escalation",
                "2025-12-01T09:00:00+01:00 overdue",
                "2025-12-01T09:00:00+01:00 escalation",
            ])
        #expect(plan.last?.event.priority == 4)
        #expect(plan.last?.message.contains("has not opted out of training") == true)
    }

    /// After downtime, the overdue notice and its escalation of the same time both go out.
    @Test func aLateOverdueNoticeKeepsItsEscalation() {
        let policy = F.policy("training", effective: "2025-11-03")
        let reminders = ReminderSettings(leadTimes: [], overdueMax: 3, escalateAfter: 0)
        var scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [policy], reminders: reminders))
        _ = scheduler.advance(to: F.at("2025-11-03T10:00:00Z"))
        let late = scheduler.advance(to: F.at("2025-11-20T10:00:00Z"))
        #expect(
            timeline(late.notices) == [
                "2025-11-17T09:00:00+01:00 overdue late", "2025-11-17T09:00:00+01:00 escalation late",
            ])
        #expect(late.skipped.map(\.event) == [.overdue, .escalation])
    }
}
