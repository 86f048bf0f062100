import CSystemd
import DequeModule
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the jobs of Swift concurrency's global executor on threads of the process's own
/// instead of libdispatch's.
///
/// On Linux, libdispatch arms a once-a-second timer to watch its worker pool as soon as the
/// first worker thread starts, and keeps it for the life of the process: an idle daemon woke
/// sixty times a minute for nothing. The concurrency runtime has a hook for where global jobs
/// go, `swift_task_enqueueGlobal_hook` (the one SwiftNIO uses to become the global
/// executor); with it, they go to a small pool whose threads sleep on a condition variable
/// until there is work.
///
/// Main-actor jobs and delayed jobs (`Task.sleep`) still go to libdispatch; optoutd has
/// neither.
public enum ConcurrencyThreads {
    /// Installs the hook and starts the pool's threads (two, or one per processor). Call it
    /// first thing in `main`, before any task exists.
    public static func takeOver() {
        _ = pool
        let hook: EnqueueHook = { job, _ in ConcurrencyThreads.pool.enqueue(job) }
        optoutd_set_enqueue_global_hook(unsafeBitCast(hook, to: UnsafeMutableRawPointer.self))
    }

    typealias Enqueue = @convention(thin) (UnownedJob) -> Void
    typealias EnqueueHook = @convention(thin) (UnownedJob, Enqueue) -> Void

    private static let pool = ThreadPoolExecutor(threads: max(2, ProcessInfo.processInfo.activeProcessorCount))
}

/// A fixed set of threads that run the jobs given to them as a `TaskExecutor`.
final class ThreadPoolExecutor: TaskExecutor, @unchecked Sendable {
    private let jobs = BlockingQueue<UnownedJob>()

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [jobs, self] in
                nameThisThread("optoutd-pool-\(index)")
                let executor = self.asUnownedTaskExecutor()
                while true {
                    jobs.pop().runSynchronously(on: executor)
                }
            }
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        jobs.push(UnownedJob(job))
    }

    func enqueue(_ job: UnownedJob) {
        jobs.push(job)
    }
}

/// Names the calling thread as `ps -L` and `top -H` show it (at most 15 bytes are kept).
func nameThisThread(_ name: String) {
    _ = optoutd_name_thread(name)
}
