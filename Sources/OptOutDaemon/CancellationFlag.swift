import Foundation
import Synchronization

/// Set once when the work it was handed to should stop: the daemon is stopping and the
/// task that waits for a transfer or a child process was cancelled. Blocking code that
/// cannot see task cancellation (a libcurl transfer, a poll loop) checks it.
public final class CancellationFlag: Sendable {
    private let raised = Atomic(false)

    public init() {}

    public var isRaised: Bool { raised.load(ordering: .acquiring) }

    public func raise() {
        raised.store(true, ordering: .releasing)
    }
}

/// Runs blocking work (a transfer, a child process) on a thread of its own, so that waiting
/// for the network or a program never holds one of the executor's few threads. When the
/// calling task is cancelled, the work's flag is raised; the work ends early on it.
func onOwnThread<Value: Sendable>(
    _ work: @escaping @Sendable (CancellationFlag) throws(DeliveryError) -> Value
) async throws(DeliveryError) -> Value {
    let flag = CancellationFlag()
    let result: Result<Value, DeliveryError> = await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(DeliveryError) {
                    continuation.resume(returning: .success(try work(flag)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.start()
        }
    } onCancel: {
        flag.raise()
    }
    return try result.get()
}
