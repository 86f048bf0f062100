import CLinux
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
    /// Installs the pool as the global executor and starts its threads (two, or one per
    /// processor). Call it once, first thing in `main`, before any task exists.
    ///
    /// UNSAFE, as swift-nio's `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`
    /// is: it assumes (1) that the hook's type is the `EnqueueHook` below, (2) that a thin
    /// closure is a plain function pointer, and (3) that nobody else sets the hook without a
    /// compare-and-swap. A second call, or a hook already set by someone else, stops the
    /// process: running with two executors would be worse. Runtimes newer than the ones this
    /// was checked with keep libdispatch (the daemon still works; it wakes once a second).
    public static func unsafeTakeOver() {
        #if compiler(<6.4)
            _ = pool
            let hook: EnqueueHook = { job, _ in ConcurrencyThreads.pool.enqueue(job) }
            guard optoutd_unsafe_install_enqueue_global_hook(unsafeBitCast(hook, to: UnsafeMutableRawPointer.self)) == 1
            else {
                fatalError("the Swift concurrency global executor hook is already installed")
            }
        #endif
    }

    typealias Enqueue = @convention(thin) (UnownedJob) -> Void
    typealias EnqueueHook = @convention(thin) (UnownedJob, Enqueue) -> Void

    private static let pool = ThreadPoolExecutor(threads: max(2, ProcessInfo.processInfo.activeProcessorCount))
}

/// Names the calling thread as `ps -L` and `top -H` show it (at most 15 bytes are kept).
func nameThisThread(_ name: String) {
    _ = optoutd_name_thread(name)
}
