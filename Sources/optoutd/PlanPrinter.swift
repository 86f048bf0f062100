import Foundation
import OptOutCore
import OptOutDaemon

/// Formats and prints plan rows on a thread of its own, so that printing one slice of
/// notices overlaps the simulation of the next.
final class PlanPrinter: Sendable {
    private let slices = BlockingQueue<[Notice]?>(capacity: 4)
    private let printed = BlockingQueue<Void>(capacity: 1)

    init(format: PlanWriter.Format, configuration: Configuration) {
        let (slices, printed) = (slices, printed)
        let thread = Thread {
            var writer = PlanWriter(format: format, configuration: configuration)
            var buffer = TextBuffer()
            writer.begin(into: &buffer)
            while let notices = slices.pop() {
                for index in notices.indices { writer.write(notices[index], into: &buffer) }
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
    func print(_ notices: [Notice]) {
        slices.push(notices)
    }

    /// Prints what is queued and the end of the report, and returns once all of it is written.
    func finish() {
        slices.push(nil)
        printed.pop()
    }
}
