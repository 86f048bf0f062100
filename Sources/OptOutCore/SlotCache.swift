/// A key of a `SlotCache`: it offers a number made from its fields, which the cache spreads
/// over its slots.
protocol SlotCacheKey: Equatable {
    /// Any mix of the fields: keys that differ in any field should mostly differ here.
    var slotSeed: Int { get }
}

/// A few values by key, one per slot: a key takes the place of the one before it in its slot.
///
/// The slot is the top bits of the key's seed times 2^64/φ (Fibonacci hashing): seeds that
/// differ only in their low bits, or by multiples of a power of two such as the 86,400
/// seconds between two days' 09:00, still land in different slots.
struct SlotCache<Key: SlotCacheKey, Value> {
    private var entries: [(key: Key, value: Value)?]
    /// 64 minus the number of bits of a slot index.
    private let shift: UInt64

    /// A cache of 2^`slotBits` slots.
    init(slotBits: Int) {
        precondition((1...16).contains(slotBits), "a slot cache has 2 to 65,536 slots")
        entries = Array(repeating: nil, count: 1 << slotBits)
        shift = UInt64(64 - slotBits)
    }

    /// The value for `key`, made by `make` unless its slot has it.
    mutating func value(for key: Key, make: () -> Value) -> Value {
        let index = Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key.slotSeed)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        if let entry = entries[index], entry.key == key { return entry.value }
        let value = make()
        entries[index] = (key, value)
        return value
    }
}
