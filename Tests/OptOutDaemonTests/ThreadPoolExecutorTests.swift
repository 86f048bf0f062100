import Foundation
import Testing

@testable import OptOutDaemon

@Suite struct ThreadPoolExecutorTests {
    @Test func everyJobRunsOnThePoolsThreadsAndNoneIsLost() async {
        let pool = ThreadPoolExecutor(threads: 2)
        let results = await withTaskExecutorPreference(pool) {
            await withTaskGroup(of: (value: Int, threads: [String]).self) { group in
                for value in 1...1000 {
                    group.addTask {
                        let before = currentThreadName()
                        await Task.yield()  // a second job for the same task
                        return (value, [before, currentThreadName()])
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(results.map(\.value).sorted() == Array(1...1000))
        #expect(Set(results.flatMap(\.threads)).isSubset(of: ["optoutd-pool-0", "optoutd-pool-1"]))
    }
}

/// The calling thread's name, as the kernel knows it.
private func currentThreadName() -> String {
    (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines) ?? "?"
}
