import Foundation
import Testing

@testable import OptOutDaemon

@Suite struct ServiceMessageQueueTests {
    typealias Message = ServiceMessageQueue.Message

    static func message(_ kind: Message.Kind, _ text: String) -> Message { Message(kind: kind, text: text) }

    @Test func whatWaitsForAManagerThatDoesNotReadStaysAHandfulAndInOrder() {
        let queue = ServiceMessageQueue()
        queue.push(Self.message(.ready, "READY=1\nSTATUS=up"))
        for minute in 1...1000 {
            queue.push(Self.message(.watchdog, "WATCHDOG=1"))
            queue.push(Self.message(.status, "STATUS=\(minute)"))
        }
        // Three reloads while nothing is read: the manager hears of one, which ends with the last READY.
        for reload in 1...3 {
            queue.push(Self.message(.reloading, "RELOADING=1\nMONOTONIC_USEC=\(reload)"))
            queue.push(Self.message(.status, "STATUS=loading \(reload)"))
            queue.push(Self.message(.ready, "READY=1\nSTATUS=reloaded \(reload)"))
        }
        queue.push(Self.message(.stopping, "STOPPING=1"))
        #expect(
            queue.waitingMessages.map(\.text) == [
                "READY=1\nSTATUS=up", "WATCHDOG=1", "STATUS=1000", "RELOADING=1\nMONOTONIC_USEC=1",
                "READY=1\nSTATUS=reloaded 3", "STOPPING=1",
            ])
    }

    @Test func aReloadAlreadyAnnouncedIsNotJoinedByTheNext() {
        let queue = ServiceMessageQueue()
        queue.push(Self.message(.reloading, "RELOADING=1\nMONOTONIC_USEC=1"))
        #expect(queue.next().text == "RELOADING=1\nMONOTONIC_USEC=1")  // taken by the sender
        queue.push(Self.message(.ready, "READY=1\nSTATUS=reloaded"))
        queue.push(Self.message(.reloading, "RELOADING=1\nMONOTONIC_USEC=2"))
        #expect(queue.waitingMessages.map(\.kind) == [.ready, .reloading])
    }

    @Test func waitingUntilSentEndsWhenTheSenderIsDoneOrTheTimeIsUp() {
        let queue = ServiceMessageQueue()
        #expect(queue.waitUntilSent(within: .zero))
        queue.push(Self.message(.stopping, "STOPPING=1"))
        #expect(!queue.waitUntilSent(within: .milliseconds(50)))  // nobody sends
        let sender = Thread {
            _ = queue.next()  // taken; the next call says it is sent
            _ = queue.next()
        }
        sender.start()
        #expect(queue.waitUntilSent(within: .seconds(30)))
        #expect(queue.waitingMessages.isEmpty)
        queue.push(Self.message(.status, "STATUS=last"))  // lets the sender thread end
    }
}
