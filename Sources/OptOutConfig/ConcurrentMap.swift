import Foundation
import OptOutCore

#if canImport(Glibc)
    import Glibc
#endif

/// `elements.map(transform)`, with each element transformed on a thread of its own (the
/// first on the calling thread). Returns once every thread is done.
///
/// Plain POSIX threads: Dispatch would leave a timer running in the daemon for the rest of
/// its life.
package func concurrentMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ transform: @Sendable (Element) -> Result
) -> [Result] {
    guard elements.count > 1 else { return elements.map(transform) }
    return withoutActuallyEscaping(transform) { transform in
        let jobs = elements.dropFirst().map { element in ThreadJob { transform(element) } }
        var threads: [pthread_t] = []
        for job in jobs {
            if let thread = job.start() { threads.append(thread) } else { job.run() }  // no thread to spare
        }
        let first = transform(elements[0])
        for thread in threads { pthread_join(thread, nil) }
        return [first] + jobs.map { $0.result! }
    }
}

/// One element's work and its result, handed to a thread.
private final class ThreadJob<Result> {
    private let work: () -> Result
    private(set) var result: Result?

    init(_ work: @escaping () -> Result) {
        self.work = work
    }

    func run() {
        result = work()
    }

    /// Runs the work on a new thread; `nil` when none could be made.
    func start() -> pthread_t? {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(ThreadEntry(run)).toOpaque()
        guard pthread_create(&thread, nil, ThreadEntry.main, context) == 0 else {
            Unmanaged<ThreadEntry>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}

/// What a new thread runs, passed through `pthread_create`'s context pointer.
private final class ThreadEntry {
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }

    /// The thread's start routine: takes its entry back and runs it.
    static let main: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { context in
        Unmanaged<ThreadEntry>.fromOpaque(context!).takeRetainedValue().body()
        return nil
    }
}

/// Runs each piece on a thread of its own (`concurrentMap`), as many at once as there are
/// processors: for the readers of large inventories and the schedule of their pairs.
public struct ThreadedMap: ParallelMap {
    public let width: Int

    public init(processors: Int = ProcessInfo.processInfo.activeProcessorCount) {
        width = max(1, processors)
    }

    public func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        concurrentMap(elements, transform)
    }
}
