import OptOutCore
import Testing

@testable import OptOutDaemon

/// A reload's new scheduler is told of what the running loop acted on while it was made.
@Suite struct ReloadCatchUpTests {
    static let policy = AcknowledgementStoreTests.policy
    static let configuration = Configuration(
        defaultZone: .utc, catalog: Catalog([policy]), accounts: [AcknowledgementStoreTests.account])
    static let now = Instant(secondsSince1970: 1_767_225_600)

    static func record(_ id: Int64, _ action: String, undone: Bool = false) -> Acknowledgement {
        Acknowledgement(
            id: id, account: "anna", policy: "training", action: action, platform: nil, at: now, note: nil,
            source: "cli:x",
            undone: undone)
    }

    /// Steps the loop acted on are done for the new scheduler too; one recorded after what
    /// the loop saw is left for the loop, which acts on it (and records what it sends).
    @Test func whatTheLoopActedOnIsDoneForTheNewScheduler() {
        var replacement = Scheduler(configuration: Self.configuration)
        #expect(replacement.pendingPairCount == 1)
        let records = [Self.record(3, "ai-toggle"), Self.record(4, "objection")]
        #expect(Daemon.catchUp(&replacement, with: records, actedOnThrough: 3, at: Self.now))
        #expect(replacement.pendingPairCount == 1, "the objection is the loop's to act on")
        #expect(Daemon.catchUp(&replacement, with: records, actedOnThrough: 4, at: Self.now))
        #expect(replacement.pendingPairCount == 0)
    }

    /// A step taken back while the new scheduler was made is not taken for one done: the
    /// scheduler must be made again from the store, where the pair is pending again.
    @Test func aStepTakenBackMeanwhileIsNotTakenForDone() {
        var replacement = Scheduler(
            configuration: Self.configuration, acknowledged: ["anna": ["ai-toggle", "objection"]])
        #expect(replacement.pendingPairCount == 0)
        let records = [Self.record(5, "objection", undone: true)]
        #expect(!Daemon.catchUp(&replacement, with: records, actedOnThrough: 5, at: Self.now))
    }
}
