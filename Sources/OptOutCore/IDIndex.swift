/// The index in a list of each id, the first of each id; it holds the ids it was made from.
///
/// An open-addressing table of the ids' hashes, each with its entry's index; ids are
/// compared only when hashes are equal. A reader of a large inventory can hash the ids on
/// every core while the entries are at hand, and make the index from those hashes, so that
/// making it touches nothing but the table.
public struct IDIndex: Sendable {
    private struct Slot: Sendable {
        var hash: Int
        /// -1 for an empty slot.
        var index: Int32
    }

    /// The ids indexed, in order.
    let ids: [String]
    /// A power of two, at least twice the number of ids: probes stay short.
    private var slots: [Slot]
    /// The entries whose id repeats an earlier one, in order, each with the index of the
    /// first entry of its id.
    public private(set) var repeats: [(index: Int, first: Int)] = []

    /// Indexes `ids`.
    public init(_ ids: [String]) {
        self.init(ids, hashes: ids.map(\.hashValue))
    }

    /// Indexes `ids`, whose `String.hashValue`s are `hashes`.
    package init(_ ids: [String], hashes: [Int]) {
        precondition(ids.count == hashes.count, "one hash per id")
        self.ids = ids
        var capacity = 16
        while capacity < 2 * ids.count { capacity *= 2 }
        slots = Array(repeating: Slot(hash: 0, index: -1), count: capacity)
        let mask = capacity - 1
        for (index, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot].index >= 0 {
                if slots[slot].hash == hash, ids[Int(slots[slot].index)] == ids[index] {
                    repeats.append((index, Int(slots[slot].index)))
                    break
                }
                slot = (slot + 1) & mask
            }
            if slots[slot].index < 0 { slots[slot] = Slot(hash: hash, index: Int32(index)) }
        }
    }

    /// The index of the first entry with this id.
    public func index(of wanted: String) -> Int? {
        let hash = wanted.hashValue
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot].index >= 0 {
            if slots[slot].hash == hash, ids[Int(slots[slot].index)] == wanted { return Int(slots[slot].index) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Of `entries`, the ones this index was made for, those whose id repeats an earlier
    /// one left out; and the index of what is left.
    public func removingRepeats<Entry>(from entries: [Entry]) -> (entries: [Entry], index: IDIndex) {
        precondition(entries.count == ids.count, "the entries this index was made for")
        guard !repeats.isEmpty else { return (entries, self) }
        let dropped = Set(repeats.map(\.index))
        let kept = entries.indices.filter { !dropped.contains($0) }
        return (kept.map { entries[$0] }, IDIndex(kept.map { ids[$0] }))
    }
}
