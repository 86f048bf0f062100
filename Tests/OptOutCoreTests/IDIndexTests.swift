import Testing

@testable import OptOutCore

@Suite struct IDIndexTests {
    @Test func theFirstOfEachIdIsFoundAndEveryRepeatReported() {
        let ids = ["a", "b", "a", "c", "b", "a"]
        let index = IDIndex(ids)
        #expect(index.repeats.map { "\($0.index)->\($0.first)" } == ["2->0", "4->1", "5->0"])
        #expect(["a", "b", "c", "d"].map { index.index(of: $0) } == [0, 1, 3, nil])
        let (kept, keptIndex) = index.removingRepeats(from: ids.map { "entry \($0)" })
        #expect(kept == ["entry a", "entry b", "entry c"])
        #expect(["a", "b", "c", "d"].map { keptIndex.index(of: $0) } == [0, 1, 2, nil])
        #expect(keptIndex.repeats.isEmpty)
    }

    /// Ids whose hashes are all equal are still told apart, by comparing them.
    @Test func idsWithEqualHashesAreComparedThemselves() {
        let ids = (0..<100).map { "id\($0)" } + ["id7"]
        let index = IDIndex(ids, hashes: ids.map { _ in 42 })
        #expect(index.repeats.map(\.index) == [100])
        #expect(index.index(of: "nothing") == nil)
        let real = IDIndex(ids)
        #expect(ids.indices.allSatisfy { real.index(of: ids[$0]) == ($0 == 100 ? 7 : $0) })
        #expect(real.index(of: "id100") == nil)
    }

    /// A configuration keeps the first account of each id, whichever way it is made.
    @Test func aConfigurationKeepsTheFirstAccountOfEachId() {
        let accounts = [Fixture.account("a", "DE"), Fixture.account("b"), Fixture.account("a", "FR")]
        var configuration = Fixture.configuration(accounts, [Fixture.policy("p")])
        #expect(configuration.accounts.map(\.id) == ["a", "b"])
        #expect(configuration.account(id: "a")?.region.description == "DE")
        #expect(configuration.accountIndex(of: "b") == 1)
        let kept = configuration.keepOnlyAccount("b")
        #expect(kept)
        #expect(configuration.accounts.map(\.id) == ["b"])
        #expect(configuration.accountIndex(of: "b") == 0 && configuration.account(id: "a") == nil)
        let keptNone = configuration.keepOnlyAccount("a")
        #expect(!keptNone && configuration.accounts.map(\.id) == ["b"])
    }
}
