/// The numbers of a list's entries by id, the first of each id.
///
/// An open-addressing table of the ids' hashes, each with its entry's number; ids are
/// compared only when hashes are equal, through the list itself. It is built from hashes
/// computed beforehand, which a reader of a large inventory computes on every core while
/// the entries are at hand, so that building it touches nothing but the table.
public struct IDIndex: Sendable {
    private struct Slot: Sendable {
        var hash: Int
        /// -1 for an empty slot.
        var number: Int32
    }

    /// A power of two, at least twice the number of ids: probes stay short.
    private var slots: [Slot]

    /// Indexes `ids`; of ids that repeat, the first is kept.
    public init(_ ids: [String]) {
        self.init(hashes: ids.map(\.hashValue), id: { ids[$0] }, duplicate: { _, _ in })
    }

    /// Indexes the entries numbered `0..<hashes.count`, whose ids hash to `hashes` (with
    /// `String.hashValue`) and read as `id(number)`. Of ids that repeat, the first number is
    /// kept; `duplicate` is told of each later one and the number it repeats.
    package init(hashes: [Int], id: (Int) -> String, duplicate: (_ number: Int, _ first: Int) -> Void) {
        var capacity = 16
        while capacity < 2 * hashes.count { capacity *= 2 }
        slots = Array(repeating: Slot(hash: 0, number: -1), count: capacity)
        let mask = capacity - 1
        for (number, hash) in hashes.enumerated() {
            var index = hash & mask
            while slots[index].number >= 0 {
                if slots[index].hash == hash, id(Int(slots[index].number)) == id(number) {
                    duplicate(number, Int(slots[index].number))
                    break
                }
                index = (index + 1) & mask
            }
            if slots[index].number < 0 { slots[index] = Slot(hash: hash, number: Int32(number)) }
        }
    }

    /// The number of the entry with this id; `id(number)` reads an entry's id.
    public func number(of wanted: String, id: (Int) -> String) -> Int? {
        let hash = wanted.hashValue
        let mask = slots.count - 1
        var index = hash & mask
        while slots[index].number >= 0 {
            if slots[index].hash == hash, id(Int(slots[index].number)) == wanted { return Int(slots[index].number) }
            index = (index + 1) & mask
        }
        return nil
    }
}
