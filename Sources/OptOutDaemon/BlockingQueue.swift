import DequeModule

#if canImport(Glibc)
    import Glibc
#endif

/// A first-in, first-out queue between threads: `pop()` sleeps until there is an element,
/// and with a `capacity`, `push(_:)` sleeps until there is room.
///
/// `@unchecked Sendable`: `waiting` is read and changed only with `mutex` held, and the
/// condition variables are pthread's own (a `Mutex` cannot be waited on).
public final class BlockingQueue<Element>: @unchecked Sendable {
    private var waiting = Deque<Element>()
    private let capacity: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let nonEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let nonFull = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// - Parameter capacity: how many elements may wait; unbounded by default.
    public init(capacity: Int = .max) {
        precondition(capacity > 0, "a blocking queue needs room for an element")
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(nonEmpty, nil)
        pthread_cond_init(nonFull, nil)
    }

    deinit {
        pthread_cond_destroy(nonFull)
        pthread_cond_destroy(nonEmpty)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        nonEmpty.deallocate()
        nonFull.deallocate()
    }

    public func push(_ element: Element) {
        pthread_mutex_lock(mutex)
        while waiting.count >= capacity {
            pthread_cond_wait(nonFull, mutex)
        }
        waiting.append(element)
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(nonEmpty)
    }

    public func pop() -> Element {
        pthread_mutex_lock(mutex)
        while waiting.isEmpty {
            pthread_cond_wait(nonEmpty, mutex)
        }
        let element = waiting.removeFirst()
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(nonFull)
        return element
    }
}
