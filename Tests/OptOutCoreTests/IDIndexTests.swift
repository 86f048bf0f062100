import Testing

@testable import OptOutCore

@Suite struct IDIndexTests {
    @Test func theFirstOfEachIdIsFoundAndEveryRepeatReported() {
        let ids = ["a", "b", "a", "c", "b", "a"]
        var repeats: [String] = []
        let index = IDIndex(hashes: ids.map(\.hashValue), id: { ids[$0] }) { repeats.append("\($0)->\($1)") }
        #expect(repeats == ["2->0", "4->1", "5->0"])
        #expect(["a", "b", "c", "d"].map { index.number(of: $0) { ids[$0] } } == [0, 1, 3, nil])
    }

    /// Ids whose hashes are all equal are still told apart, by comparing them.
    @Test func idsWithEqualHashesAreComparedThemselves() {
        let ids = (0..<100).map { "id\($0)" } + ["id7"]
        var repeats: [Int] = []
        let index = IDIndex(hashes: ids.map { _ in 42 }, id: { ids[$0] }) { number, _ in repeats.append(number) }
        #expect(repeats == [100])
        #expect(index.number(of: "nothing") { ids[$0] } == nil)
        let real = IDIndex(ids)
        #expect(ids.indices.allSatisfy { real.number(of: ids[$0]) { ids[$0] } == ($0 == 100 ? 7 : $0) })
        #expect(real.number(of: "id100") { ids[$0] } == nil)
    }
}
