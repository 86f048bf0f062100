/// What someone asks to record as done (or, undone, as pending again) for one account,
/// checked against the catalog: the one reading of `optoutd ack` and of the confirmation
/// page alike.
public struct AcknowledgementRequest: Sendable {
    public let account: Account
    /// The policy named, or `nil` when the platform's switches were named alone.
    public let policy: Policy?
    public let actions: [String]

    /// Why a request cannot be recorded, in words for the person who made it.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
        /// Nothing was named at all: a usage error rather than a wrong name.
        public let isMissingItems: Bool
    }

    /// The most a note may hold: it is a remark, not a document.
    public static let longestNote = 1000

    /// Why `note` cannot be recorded with an acknowledgement, if it cannot: whoever holds a
    /// link writes it, and `status` and `report` show it beside what optoutd says itself.
    public static func problem(withNote note: String) -> String? {
        // Counted in scalars: a character may carry any number of combining marks.
        if note.unicodeScalars.count > longestNote { return "a note holds at most \(longestNote) characters" }
        if note.unicodeScalars.contains(where: { TerminalText.isUnsafe($0) && $0 != "\n" && $0 != "\r" }) {
            return "a note may hold line breaks, but no other control, invisible or direction-changing character"
        }
        return nil
    }

    /// What of `note` can be recorded: without the characters `problem(withNote:)` refuses
    /// (a refused space, such as a tab, becomes a plain one, so that words stay apart), and
    /// at most `longestNote` long. A page hands it back to be checked and sent again.
    public static func keepable(_ note: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in note.unicodeScalars {
            guard kept.count < longestNote else { break }
            if !TerminalText.isUnsafe(scalar) || scalar == "\n" || scalar == "\r" {
                kept.append(scalar)
            } else if scalar.properties.isWhitespace {
                kept.append(" ")
            }
        }
        return String(kept)
    }

    private init(account: Account, policy: Policy?, actions: [String]) {
        self.account = account
        self.policy = policy
        self.actions = actions
    }

    /// The same request for those of its actions that `isIncluded` accepts.
    public func filter(_ isIncluded: (String) -> Bool) -> AcknowledgementRequest {
        AcknowledgementRequest(account: account, policy: policy, actions: actions.filter(isIncluded))
    }

    /// Reads `items`: a policy id and some of its action ids (all of them when none are
    /// named), or action ids alone, each asked for by a policy that applies to the account.
    public init(account: Account, items: [String], catalog: Catalog) throws(Problem) {
        self.account = account
        let applying = catalog.policies(of: account)
        if let first = items.first, let policy = catalog[first] {
            guard applying.contains(where: { $0 === policy }) else {
                throw Problem(
                    description:
                        "policy '\(policy.id)' does not apply to '\(account.id)' (\(account.platform), \(account.region))",
                    isMissingItems: false)
            }
            let known = policy.actions.map(\.id)
            guard !known.isEmpty else {
                throw Problem(
                    description: "policy '\(policy.id)' offers nothing to switch off: there is nothing to record",
                    isMissingItems: false)
            }
            let named = Array(items.dropFirst())
            if let unknown = named.first(where: { !known.contains($0) }) {
                throw Problem(
                    description:
                        "policy '\(policy.id)' has no action \(TerminalText.quoted(unknown)); it has: \(known.joined(separator: ", "))",
                    isMissingItems: false)
            }
            self.policy = policy
            actions = named.isEmpty ? known : named
            return
        }
        guard !items.isEmpty else {
            throw Problem(
                description: "name a policy, or the actions done (such as ai-improvement-toggle)", isMissingItems: true)
        }
        let asked = Set(applying.flatMap { $0.actions.map(\.id) })
        if let unknown = items.first(where: { !asked.contains($0) }) {
            let known = asked.sorted().joined(separator: ", ")
            throw Problem(
                description:
                    "\(TerminalText.quoted(unknown)) is neither a policy nor an action that applies to '\(account.id)'; its actions: \(known.isEmpty ? "none" : known)",
                isMissingItems: false)
        }
        policy = nil
        var seen = Set<String>()
        actions = items.filter { seen.insert($0).inserted }
    }
}
