import OptOutCore

/// Configured policies that take the place of shipped ones, so that a fact can be corrected
/// the day it is learnt, without waiting for a release.
enum PolicyOverrides {
    /// The shipped policies, each marked `replaces: true` by a configured one of its id
    /// replaced in place (and reported with a warning naming both places), followed by
    /// the other configured policies. A configured policy with a shipped id and no
    /// `replaces` is left as it is: the id check reports the duplicate.
    static func apply(
        _ configured: [PolicyEntry], to shipped: [Located<Policy>], log: DiagnosticLog
    ) -> [Located<Policy>] {
        var policies = shipped
        let shippedIndex = Dictionary(
            shipped.indices.map { (shipped[$0].value.id, $0) }, uniquingKeysWith: { first, _ in first })
        var replaced = Set<String>()
        var added: [Located<Policy>] = []
        for entry in configured {
            let policy = entry.policy
            guard entry.replaces else {
                added.append(policy)
                continue
            }
            guard let index = shippedIndex[policy.value.id] else {
                log.warning(
                    "policy '\(policy.value.id)' says 'replaces: true', but no shipped policy has this id; it is added",
                    at: policy.location)
                added.append(policy)
                continue
            }
            // A second replacement of the same policy is a duplicate id, reported as such.
            guard replaced.insert(policy.value.id).inserted else {
                added.append(policy)
                continue
            }
            log.warning(
                "policy '\(policy.value.id)' replaces the shipped policy defined at \(shipped[index].location)",
                at: policy.location)
            policies[index] = policy
        }
        return policies + added
    }
}
