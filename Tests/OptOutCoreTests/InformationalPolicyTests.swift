import Foundation
import Testing

@testable import OptOutCore

/// A change with no opt-out (a policy without actions) is told, never reminded of.
@Suite struct InformationalPolicyTests {
    typealias F = Fixture

    static let chats = F.policy("ai-chats-for-ads", effective: "2025-12-16", actions: [])

    @Test func itIsToldWhenFirstSeenAndOnTheEffectiveDateOnly() {
        let scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [Self.chats]))
        let plan = scheduler.plan(from: F.at("2025-09-01T10:00:00Z"), until: F.at("2026-09-01T00:00:00Z"))
        #expect(
            timeline(plan) == [
                "2025-09-01T12:00:00+02:00 policy-applies",
                "2025-12-16T09:00:00+01:00 policy-effective",
            ])
        #expect(plan.allSatisfy { $0.pending.isEmpty })
        #expect(
            plan.map(\.message) == [
                "alice in DE is covered by ai-chats-for-ads (Policy ai-chats-for-ads) from 2025-12-16; it offers no way to opt out.",
                "alice: ai-chats-for-ads (Policy ai-chats-for-ads) takes effect today; it offers no way to opt out.",
            ])
        #expect(scheduler.pendingPairCount == 0)
    }

    /// Its notices inform: the journal gets them at priority notice, not err, also on the
    /// day it takes effect; a change with something to do keeps err for that day.
    @Test func itsJournalEntriesAreNoticesNotErrors() {
        let optOut = F.policy("training", effective: "2025-12-16", deadline: "2025-12-16")
        let scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [Self.chats, optOut]))
        let plan = scheduler.plan(from: F.at("2025-12-15T10:00:00Z"), until: F.at("2025-12-17T00:00:00Z"))
        let priorities = plan.map { "\($0.policy.id) \($0.event.rawValue) \(NoticeDocument($0).priority)" }
        #expect(
            priorities == [
                "ai-chats-for-ads policy-applies 5", "training policy-applies 5", "ai-chats-for-ads policy-effective 5",
                "training policy-effective 3",
            ])
    }

    @Test func seenAfterTheEffectiveDateItIsToldOnce() {
        let scheduler = Scheduler(configuration: F.configuration([F.account("alice")], [Self.chats]))
        let plan = scheduler.plan(from: F.at("2026-01-10T10:00:00Z"), until: F.at("2027-01-10T00:00:00Z"))
        #expect(timeline(plan) == ["2026-01-10T11:00:00+01:00 policy-applies"])
        #expect(plan.first?.message.contains("since 2025-12-16") == true)
    }

    /// `done` entries and `ack` cannot make an informational pair done: there is nothing to
    /// do, so there is no `opted-out` to send.
    @Test func nothingDoneOrAcknowledgedMakesItOptedOut() {
        let optOut = F.policy("training", effective: "2025-12-16")
        let account = F.account("bob", done: [.policy("ai-chats-for-ads")])
        var scheduler = Scheduler(configuration: F.configuration([account], [Self.chats, optOut]))
        let first = scheduler.advance(to: F.at("2025-12-01T10:00:00Z"))
        #expect(
            first.notices.map { "\($0.policy.id) \($0.event.rawValue)" } == [
                "ai-chats-for-ads policy-applies", "training policy-applies",
            ])
        let acked = scheduler.acknowledge(
            account: "bob", actions: ["ai-improvement-toggle", "objection-form"], at: F.at("2025-12-02T10:00:00Z"))
        #expect(acked?.notices.map { "\($0.policy.id) \($0.event.rawValue)" } == ["training opted-out"])
        let chatsKey = PairKey(account: "bob", policy: "ai-chats-for-ads")
        #expect(scheduler.nextEvent(chatsKey, from: F.at("2025-12-02T10:00:00Z"))?.event == .policyEffective)
        #expect(scheduler.upcoming(from: F.at("2025-12-02T10:00:00Z"))?.pair == chatsKey)
        var later: [String] = []
        while let next = scheduler.nextDue, next < F.at("2027-01-01T00:00:00Z") {
            later += scheduler.advance(to: next).notices.map { "\($0.policy.id) \($0.event.rawValue)" }
        }
        #expect(later == ["ai-chats-for-ads policy-effective"])
        #expect(scheduler.nextDue == nil)
    }

    /// A daemon that was down over the effective date sends it late when it comes back.
    @Test func aMissedEffectiveDateIsSentLate() {
        let configuration = F.configuration([F.account("carol")], [Self.chats])
        let seen = F.at("2025-10-01T08:00:00Z")
        var scheduler = Scheduler(
            configuration: configuration,
            histories: [
                PairKey(account: "carol", policy: "ai-chats-for-ads"): PairHistory(
                    firstSeen: seen, handledThrough: seen)
            ])
        let step = scheduler.advance(to: F.at("2025-12-20T08:00:00Z"))
        #expect(timeline(step.notices) == ["2025-12-16T09:00:00+01:00 policy-effective late"])
        #expect(step.skipped.isEmpty)
    }

    /// Hooks, webhooks and mail learn that there is nothing to do, also after the document
    /// went through the outbox as JSON; documents of other changes keep their keys.
    @Test func itsDocumentAndMailSayThereIsNoOptOut() throws {
        let configuration = F.configuration([F.account("dora")], [Self.chats, F.policy("training")])
        let notices = Scheduler(configuration: configuration).plan(
            from: F.at("2025-12-01T10:00:00Z"), until: F.at("2025-12-01T10:00:00Z"))
        #expect(notices.map(\.policy.id) == ["ai-chats-for-ads", "training"])
        let encoded = try notices.map { try String(decoding: JSONEncoder().encode(NoticeDocument($0)), as: UTF8.self) }
        #expect(encoded[0].contains(#""informational":true"#))
        #expect(!encoded[1].contains("informational"))
        let document = try JSONDecoder().decode(NoticeDocument.self, from: Data(encoded[0].utf8))
        #expect(document.policy.informational == true)
    }
}
