import Foundation
import OptOutCore
import OptOutDaemon

/// Formats and prints plan rows on a thread of its own, so that printing one slice of
/// notices overlaps the simulation of the next.
///
/// It takes notices as records and looks up their accounts, policies and pending actions
/// itself: a `Notice` made on the simulating thread would count references to the policy
/// and its actions there, and reading them here would pull their memory back and forth
/// between the two cores for every row.
final class PlanPrinter: Sendable {
    private let slices = BlockingQueue<[NoticeRecord]?>(capacity: 4)
    private let printed = BlockingQueue<Void>(capacity: 1)

    /// - Parameter pendingActionLists: the scheduler's, which the records name by index.
    init(format: PlanWriter.Format, configuration: Configuration, pendingActionLists: [[PolicyAction]]) {
        let (slices, printed) = (slices, printed)
        let thread = Thread {
            var writer = PlanWriter(format: format, configuration: configuration)
            var buffer = TextBuffer()
            writer.begin(into: &buffer)
            while let records = slices.pop() {
                for record in records { writer.write(record, pendingActionLists: pendingActionLists, into: &buffer) }
                if buffer.count >= 1 << 20 { PlanPrinter.flush(&buffer) }
            }
            writer.end(into: &buffer)
            PlanPrinter.flush(&buffer)
            printed.push(())
        }
        thread.start()
    }

    /// Writes what the buffer holds and empties it, keeping its memory.
    private static func flush(_ buffer: inout TextBuffer) {
        buffer.withUnsafeBytes { standardOutput($0) }
        buffer.removeAll()
    }

    /// Queues notices to print after the ones before; waits while a few slices are queued.
    func print(_ records: [NoticeRecord]) {
        slices.push(records)
    }

    /// Prints what is queued and the end of the report, and returns once all of it is written.
    func finish() {
        slices.push(nil)
        printed.pop()
    }
}
