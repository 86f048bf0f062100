import Foundation
import Synchronization
import Testing

@testable import OptOutConfig

@Suite struct ConcurrentMapTests {
    /// How many transforms run at once, and the most seen.
    final class Occupancy: Sendable {
        private let state = Mutex((running: 0, most: 0, calls: [Int]()))

        func enter(_ element: Int) {
            state.withLock {
                $0.running += 1
                $0.most = max($0.most, $0.running)
                $0.calls.append(element)
            }
        }

        func leave() { state.withLock { $0.running -= 1 } }

        var most: Int { state.withLock { $0.most } }
        var calls: [Int] { state.withLock { $0.calls } }
    }

    @Test func moreElementsThanThreadsAreEachTransformedOnceAndComeBackInOrder() {
        let occupancy = Occupancy()
        let elements = Array(0..<64)
        let results = concurrentMap(elements, threads: 3) { element in
            occupancy.enter(element)
            defer { occupancy.leave() }
            // Uneven work, so that threads take different numbers of elements.
            var sum = 0
            for value in 0..<(element % 5) * 20_000 { sum &+= value }
            return "\(element):\(sum & 1)"
        }
        #expect(results.map { Int($0.split(separator: ":")[0])! } == elements)
        #expect(occupancy.calls.sorted() == elements)
        #expect(occupancy.most <= 3)
    }

    @Test func oneThreadTransformsInOrderOnTheCallingThread() {
        let occupancy = Occupancy()
        let caller = pthread_self()
        let onCaller = concurrentMap(Array(0..<10), threads: 1) { element in
            occupancy.enter(element)
            defer { occupancy.leave() }
            return pthread_equal(pthread_self(), caller) != 0
        }
        #expect(onCaller == Array(repeating: true, count: 10))
        #expect(occupancy.calls == Array(0..<10))
    }

    @Test func noElementsGiveNoResults() {
        #expect(concurrentMap([Int](), threads: 4) { $0 }.isEmpty)
    }
}
