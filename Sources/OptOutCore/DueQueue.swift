import HeapModule

/// Pairs by when they are due next, earliest first; ties go to the lower pair index.
///
/// A heap, and beside it the entries it was made with that were already in order: on a
/// first start every pair is due at once, and 100,000 pairs taken from a sorted run cost
/// far less than 100,000 trips down a heap.
struct DueQueue: Sendable {
    struct Entry: Comparable, Sendable {
        var due: Instant
        var pair: Int

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.due, lhs.pair) < (rhs.due, rhs.pair) }
    }

    private var heap: Heap<Entry>
    /// Sorted; entries before `runStart` are taken.
    private var run: [Entry]
    private var runStart = 0

    /// `entries` in any order; the longest sorted prefix stays out of the heap.
    init(_ entries: consuming [Entry] = []) {
        var sortedCount = entries.isEmpty ? 0 : 1
        while sortedCount < entries.count, entries[sortedCount - 1] < entries[sortedCount] { sortedCount += 1 }
        if sortedCount == entries.count {
            heap = Heap()
            run = entries
        } else {
            heap = Heap(entries[sortedCount...])
            run = Array(entries[..<sortedCount])
        }
        // A pair taken from the run mostly comes back with its next due time: room for them
        // all at once spares growing the heap step by step, copying it each time.
        heap.reserveCapacity(heap.count + run.count)
    }

    /// The earliest entry.
    var min: Entry? {
        guard runStart < run.count else { return heap.min }
        guard let top = heap.min else { return run[runStart] }
        return Swift.min(run[runStart], top)
    }

    mutating func insert(_ entry: Entry) {
        heap.insert(entry)
    }

    mutating func removeMin() {
        if takesFromRun {
            runStart += 1
            if runStart == run.count { (run, runStart) = ([], 0) }
        } else {
            heap.removeMin()
        }
    }

    /// Removes the earliest entry and inserts `entry`, in one step where it can.
    mutating func replaceMin(with entry: Entry) {
        if takesFromRun {
            removeMin()
            heap.insert(entry)
        } else {
            heap.replaceMin(with: entry)
        }
    }

    /// Whether the earliest entry is the run's.
    private var takesFromRun: Bool {
        guard runStart < run.count else { return false }
        guard let top = heap.min else { return true }
        return run[runStart] < top
    }
}
