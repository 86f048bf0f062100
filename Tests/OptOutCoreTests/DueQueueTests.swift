import Testing

@testable import OptOutCore

@Suite struct DueQueueTests {
    /// A queue made from a sorted run and a shuffled rest, worked on at random, gives out
    /// entries in the order a sorted list would.
    @Test func entriesComeOutEarliestFirstWhateverTheirSource() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let runLength = Int.random(in: 0...40, using: &random)
            var entries = (0..<runLength).map { DueQueue.Entry(due: .distantPast, pair: $0) }
            entries += (runLength..<(runLength + Int.random(in: 0...40, using: &random))).map {
                DueQueue.Entry(due: Instant(secondsSince1970: Int.random(in: 0...20, using: &random)), pair: $0)
            }.shuffled(using: &random)
            var queue = DueQueue(entries)
            var expected = entries.sorted()
            var nextPair = entries.count
            while let first = expected.first {
                #expect(queue.min == first)
                expected.removeFirst()
                let later = DueQueue.Entry(
                    due: Instant(secondsSince1970: Int.random(in: 0...30, using: &random)), pair: nextPair)
                // New entries until there have been 60 more, then only removals.
                switch nextPair < entries.count + 60 ? Int.random(in: 0..<3, using: &random) : 0 {
                case 0:
                    queue.removeMin()
                case 1:
                    queue.replaceMin(with: later)
                    expected.append(later)
                    nextPair += 1
                default:
                    queue.removeMin()
                    queue.insert(later)
                    expected.append(later)
                    nextPair += 1
                }
                expected.sort()
            }
            #expect(queue.min == nil)
        }
    }
}
