import Foundation
import OptOutCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `elements.map(transform)`, spread over at most `threads` threads (the calling thread
/// among them), each taking the next element not yet taken until none is left. Returns
/// once every element is transformed.
///
/// More elements than threads balance the work: a thread whose elements go quickly, or
/// that the system lets run more, takes more of them.
///
/// Plain POSIX threads: Dispatch would leave a timer running in the daemon for the rest of
/// its life.
package func concurrentMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    _ transform: @Sendable (Element) -> Result
) -> [Result] {
    let threadCount = min(elements.count, max(1, threads))
    guard threadCount > 1 else { return elements.map(transform) }
    return withoutActuallyEscaping(transform) { transform in
        let work = SharedWork(elements, transform)
        var started: [pthread_t] = []
        for _ in 1..<threadCount {
            guard let thread = startThread(work.drain) else { break }  // no thread to spare: fewer do it
            started.append(thread)
        }
        work.drain()
        for thread in started { pthread_join(thread, nil) }
        return work.results()
    }
}

/// The elements of one `concurrentMap` and their results, shared by its threads.
private final class SharedWork<Element, Result> {
    private let elements: [Element]
    private let transform: (Element) -> Result
    /// The next element no thread has taken.
    private let next = Atomic<Int>(0)
    /// One slot per element, written once by the thread that took the element and read
    /// only after every thread is joined.
    private let slots: UnsafeMutableBufferPointer<Result?>

    init(_ elements: [Element], _ transform: @escaping (Element) -> Result) {
        self.elements = elements
        self.transform = transform
        slots = .allocate(capacity: elements.count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// Takes elements and transforms them until none is left.
    func drain() {
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < elements.count else { return }
            slots[index] = transform(elements[index])
        }
    }

    /// The results in element order; call once every thread has drained.
    func results() -> [Result] {
        slots.map { $0! }
    }
}

/// Runs `body` on a new thread; `nil` when none could be made.
private func startThread(_ body: @escaping () -> Void) -> pthread_t? {
    var thread = pthread_t()
    let context = Unmanaged.passRetained(ThreadEntry(body)).toOpaque()
    guard pthread_create(&thread, nil, ThreadEntry.main, context) == 0 else {
        Unmanaged<ThreadEntry>.fromOpaque(context).release()
        return nil
    }
    return thread
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

/// Runs the pieces on as many threads as there are processors (`concurrentMap`): for the
/// readers of large inventories and the schedule of their pairs.
public struct ThreadedMap: ParallelMap {
    public let width: Int

    public init(processors: Int = ProcessInfo.processInfo.activeProcessorCount) {
        width = max(1, processors)
    }

    public func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        concurrentMap(elements, threads: width, transform)
    }
}
