import Testing

@testable import OptOutCore

/// Schedules of many accounts: made in parts, and planned in slices.
@Suite struct LargeScheduleTests {
    typealias F = Fixture

    /// A large inventory's pairs are made in parts, a range of accounts each; put together,
    /// they must make the scheduler that one pass over the accounts makes.
    @Test func aSchedulerMadeInPartsIsTheOneMadeWhole() {
        let policies = [F.policy("p1"), F.policy("p2", actions: ["ai-improvement-toggle", "extra"])]
        let catalog = Catalog(policies)
        let doneMarks: [[DoneMark]] = [
            [], [DoneMark(parsing: "ai-improvement-toggle", catalog: catalog)],
            [DoneMark(parsing: "p2/extra", catalog: catalog)], [DoneMark(parsing: "p1", catalog: catalog)],
            [DoneMark(parsing: "objection-form", catalog: catalog)],
        ]
        let accounts = (0..<97).map { number in
            F.account(
                "a\(number)", ["DE", "FR", "US"][number % 3], zone: number % 2 == 0 ? F.berlin : F.newYork,
                done: doneMarks[number * 7 % doneMarks.count])
        }
        let configuration = F.configuration(accounts, policies)
        let start = F.at("2025-10-01T08:00:00Z")
        let histories = [
            PairKey(account: "a4", policy: "p1"): PairHistory(firstSeen: start, handledThrough: start),
            PairKey(account: "a90", policy: "p2"): PairHistory(firstSeen: start, handledThrough: start),
        ]
        let acknowledged = ["a1": Set(["extra"]), "a61": Set(["objection-form", "ai-improvement-toggle"])]
        func scheduler(parts: Int) -> Scheduler {
            Scheduler(
                configuration: configuration, histories: histories, acknowledged: acknowledged, lateAfterSeconds: 60,
                parallel: PiecesInTurn(width: parts), smallestPart: 10)
        }
        var whole = scheduler(parts: 1)
        var parts = scheduler(parts: 4)
        #expect(parts.pairKeys == whole.pairKeys)
        #expect(whole.pairKeys.count > 60)
        for key in whole.pairKeys {
            #expect(parts.pendingActions(key) == whole.pendingActions(key), "\(key)")
            #expect(parts.doneActions(key) == whole.doneActions(key), "\(key)")
        }
        #expect(parts.pendingPairCount == whole.pendingPairCount)
        let until = F.at("2026-02-01T00:00:00Z")
        let key = { (notice: Notice) in
            "\(notice.localTime) \(notice.account.id) \(notice.policy.id) \(notice.event) \(notice.pending.map(\.id))"
        }
        #expect(parts.plan(from: start, until: until).map(key) == whole.plan(from: start, until: until).map(key))
        let later = F.at("2025-12-01T08:00:00Z")
        #expect(
            parts.acknowledge(account: "a3", actions: ["extra"], at: later)?.notices.map(key)
                == whole.acknowledge(account: "a3", actions: ["extra"], at: later)?.notices.map(key))
        #expect(parts.pendingActions(PairKey(account: "a3", policy: "p2")) == [])
    }

    @Test func aLongPlanComesInSlicesInTheOrderTheDaemonWouldSendIt() {
        // Every pair is new at the start: more notices are due at once than one slice holds.
        let accounts = (0..<(Scheduler.simulationSlice + 500)).map { F.account("a\($0)") }
        let scheduler = Scheduler(configuration: F.configuration(accounts, [F.policy("p", deadline: "2025-11-20")]))
        let from = F.at("2025-11-01T00:00:00Z")
        let until = F.at("2025-11-15T00:00:00Z")
        var slices: [[NoticeRecord]] = []
        var planned = scheduler
        planned.simulate(from: from, until: until) { slices.append($0) }
        #expect(planned.nextDue.map { $0 > until } == true)
        #expect(slices.allSatisfy { !$0.isEmpty && $0.count <= Scheduler.simulationSlice })
        var daemon = scheduler
        var sent = daemon.advance(to: from).notices
        while let next = daemon.nextDue, next <= until { sent += daemon.advance(to: next).notices }
        let key = { (notice: Notice) in "\(notice.at) \(notice.account.id) \(notice.event.rawValue)" }
        #expect(slices.joined().map(planned.notice(for:)).map(key) == sent.map(key))
        // policy-applies, policy-effective (3 November), the 14- and 7-day reminders (6 and 13 November)
        #expect(sent.count == accounts.count * 4)
    }
}
