import Foundation
import OptOutCore
import Synchronization
import Testing

@testable import OptOutDaemon

/// The store writes an acknowledgement only where it changes what stands, whoever sends it
/// and however often at once.
@Suite struct AcknowledgementStoreTests {
    static let policy = Policy(
        id: "training", platform: "linkedin", title: "T", summary: "", effective: CivilDate(iso: "2025-11-03")!,
        deadline: CivilDate(iso: "2025-11-03")!, regions: ["DE"], except: [],
        coverage: RegionName("DE")!.countries,
        actions: ["ai-toggle", "objection"].map { PolicyAction(id: $0, title: $0, location: "Settings") })
    static let account = Account(id: "anna", platform: "linkedin", region: CountryCode(letters: "DE")!, zone: .utc)

    /// A double click, a retried request or two people at once: eight writers send the same
    /// steps together, each through a store handle of its own, and each step is recorded once.
    @Test func aStepSentManyTimesAtOnceIsRecordedOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optoutd-ack-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        let store = try StateStore(path: path)
        let request = try AcknowledgementRequest(
            account: Self.account, items: ["training"], catalog: Catalog([Self.policy]))
        let now = Instant(secondsSince1970: 1_767_225_600)

        let results = Mutex<[Result<Int, any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let result = Result {
                try StateStore(path: path).acknowledge(
                    [request], note: nil, source: "link", at: now, catalog: Catalog([Self.policy])
                ).recorded
                    .reduce(0) { $0 + $1.actions.count }
            }
            results.withLock { $0.append(result) }
        }
        let counts = try results.withLock { try $0.map { try $0.get() } }
        #expect(counts.reduce(0, +) == 2, "\(counts)")
        #expect(try store.acknowledgements().map(\.action).sorted() == ["ai-toggle", "objection"])

        // An undo changes what stands once; a second undo has nothing left to correct.
        func recorded(undo: Bool) throws -> [String] {
            try store.acknowledge(
                [request], note: nil, source: "cli:x", undo: undo, at: now, catalog: Catalog([Self.policy])
            ).recorded.flatMap(
                \.actions)
        }
        #expect(try recorded(undo: true) == ["ai-toggle", "objection"])
        #expect(try recorded(undo: true) == [])
        // Done again after the undo: that is a change, and it is recorded.
        #expect(try recorded(undo: false) == ["ai-toggle", "objection"])
        let records = try store.acknowledgements()
        #expect(records.count == 6)
        #expect(records.map(\.undone) == [false, false, true, true, false, false])
    }
}
