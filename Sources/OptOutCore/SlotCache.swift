/// A few values by key, one per slot: a key takes the place of the one before it in its slot.
struct SlotCache<Key: Equatable, Value> {
    private var entries: [(key: Key, value: Value)?]

    /// `slots` must be a power of two.
    init(slots: Int) {
        entries = Array(repeating: nil, count: slots)
    }

    /// The value for `key`, made by `make` unless its slot (any number, wrapped) has it.
    mutating func value(for key: Key, slot: Int, make: () -> Value) -> Value {
        let index = slot & (entries.count - 1)
        if let entry = entries[index], entry.key == key { return entry.value }
        let value = make()
        entries[index] = (key, value)
        return value
    }
}
