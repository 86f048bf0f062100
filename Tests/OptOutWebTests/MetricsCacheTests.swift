import OptOutCore
import Testing

@testable import OptOutWeb

/// `/metrics` makes a report over every account: asked for again and again, it is made at
/// most once in a while.
struct MetricsCacheTests {
    struct StoreDown: Error {}

    let start = Instant(secondsSince1970: 1_760_000_000)

    @Test func anAnswerIsServedAgainUntilItIsTooOld() throws {
        let cache = MetricsCache(lifetime: 10)
        var made = 0
        func make() -> [UInt8] {
            made += 1
            return Array("figures \(made)".utf8)
        }
        #expect(try cache.body(at: start, make: make) == Array("figures 1".utf8))
        #expect(try cache.body(at: start.adding(seconds: 9), make: make) == Array("figures 1".utf8))
        #expect(try cache.body(at: start.adding(seconds: 10), make: make) == Array("figures 2".utf8))
        // A clock set back does not keep an answer from the future.
        #expect(try cache.body(at: start, make: make) == Array("figures 3".utf8))
        #expect(made == 3)
    }

    @Test func aFailureIsNotKept() throws {
        let cache = MetricsCache(lifetime: 10)
        #expect(throws: StoreDown.self) { try cache.body(at: start) { throw StoreDown() } }
        #expect(try cache.body(at: start.adding(seconds: 1)) { Array("back".utf8) } == Array("back".utf8))
    }
}
