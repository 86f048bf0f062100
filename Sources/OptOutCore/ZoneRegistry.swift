import Foundation
import Synchronization

extension Zone {
    static let registry = ZoneRegistry()
}

/// The zones made so far, by identifier (unknown identifiers too, as `nil`): each is made
/// once, and numbered in the order made.
final class ZoneRegistry: Sendable {
    private let zones = Mutex<[String: Zone?]>([:])

    /// The zone for `identifier`; when it is new, `lookUp` finds its time zone.
    func zone(_ identifier: String, else lookUp: (String) -> TimeZone?) -> Zone? {
        zones.withLock { zones in
            if let known = zones[identifier] { return known }
            let zone =
                identifier.isEmpty
                ? nil : lookUp(identifier).map { Zone(identifier: identifier, timeZone: $0, number: zones.count) }
            zones[identifier] = zone
            return zone
        }
    }
}
