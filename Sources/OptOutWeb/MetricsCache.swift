import OptOutCore
import Synchronization

/// The last `/metrics` answer, kept for a short while. Each one is a compliance report
/// over every account; anyone who can reach the site can ask for it, so repeated requests
/// get the same answer instead of a new report each: the confirmation pages go on being
/// served however often `/metrics` is asked for. A scraper that asks every few seconds
/// sees figures at most `lifetime` old.
final class MetricsCache: Sendable {
    /// How long an answer is served again, in seconds.
    let lifetime: Int
    private let latest = Mutex<(body: [UInt8], madeAt: Instant)?>(nil)

    init(lifetime: Int) {
        self.lifetime = lifetime
    }

    /// The kept answer while it is fresh at `now`, else a new one from `make`. Requests that
    /// arrive while one is made wait for it rather than make their own; a failure is not
    /// kept, so the next request tries again.
    func body(at now: Instant, make: () throws -> [UInt8]) throws -> [UInt8] {
        try latest.withLock { latest in
            if let kept = latest, kept.madeAt <= now, now < kept.madeAt.adding(seconds: lifetime) {
                return kept.body
            }
            let body = try make()
            latest = (body, now)
            return body
        }
    }
}
