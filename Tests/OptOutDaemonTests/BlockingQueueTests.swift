import Foundation
import Testing

@testable import OptOutDaemon

@Suite struct BlockingQueueTests {
    @Test func aBoundedQueueHandsOverEveryElementInOrder() {
        let queue = BlockingQueue<Int?>(capacity: 2)
        let producer = Thread {
            for value in 0..<10_000 { queue.push(value) }  // sleeps whenever two are waiting
            queue.push(nil)
        }
        producer.start()
        var received: [Int] = []
        while let value = queue.pop() { received.append(value) }
        #expect(received == Array(0..<10_000))
    }
}
