/// Something a `done` entry says is already switched off.
public enum DoneMark: Hashable, Sendable, CustomStringConvertible {
    /// An action id, done wherever the account's platform asks for it.
    case action(String)
    /// One action of one policy, written `POLICY/ACTION`.
    case policyAction(policy: String, action: String)
    /// Every action of a policy.
    case policy(String)

    /// Reads the written form: `ACTION`, `POLICY/ACTION` or `POLICY`. Whether the
    /// bare form names an action or a policy depends on the catalog.
    public init(parsing text: String, catalog: Catalog) {
        if let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) {
            self = .policyAction(
                policy: String(text[..<slash]), action: String(text[text.utf8.index(after: slash)...]))
        } else if catalog[text] != nil {
            self = .policy(text)
        } else {
            self = .action(text)
        }
    }

    public var description: String {
        switch self {
        case .action(let id): id
        case .policyAction(let policy, let action): "\(policy)/\(action)"
        case .policy(let id): id
        }
    }

    /// The action ids this mark switches off (an action id stands for the platform's switch).
    public func actionIDs(in catalog: Catalog) -> [String] {
        switch self {
        case .action(let id): [id]
        case .policyAction(_, let action): [action]
        case .policy(let id): catalog[id]?.actions.map(\.id) ?? []
        }
    }
}

/// One account on one platform, with the country that decides which policies apply.
///
/// A class: notices refer to their account, and there may be millions of notices.
public final class Account: Sendable {
    /// Unique across the configuration; letters, digits, `.`, `_`, `-` and `@`.
    public let id: String
    public let platform: String
    public let region: CountryCode
    public let name: String?
    public let email: String?
    public let zone: Zone
    public let done: [DoneMark]
    /// The language of messages to the owner (`en`, `de`, …); `nil` for the configured default.
    public let language: String?
    /// Who is told when the account's opt-out is overdue past `escalate_after` (an address).
    public let manager: String?

    public init(
        id: String, platform: String, region: CountryCode, name: String? = nil, email: String? = nil,
        zone: Zone, done: [DoneMark] = [], language: String? = nil, manager: String? = nil
    ) {
        self.manager = manager
        self.id = id
        self.platform = platform
        self.region = region
        self.name = name
        self.email = email
        self.zone = zone
        self.done = done
        self.language = language
    }

    /// The ids of the actions this account's `done` entries (and `acknowledged`, when
    /// given) mark as done.
    public func doneActionIDs(acknowledged: Set<String>? = nil, catalog: Catalog) -> Set<String> {
        var done = acknowledged ?? []
        for mark in self.done { done.formUnion(mark.actionIDs(in: catalog)) }
        return done
    }

    /// Whether `text` is a valid account id.
    public static func isValidID(_ text: String) -> Bool {
        // Over the bytes in one piece: a 100,000-account inventory asks this of every id.
        var text = text
        return text.withUTF8 { bytes in
            !bytes.isEmpty
                && bytes.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
                        UInt8(ascii: "@"):
                        true
                    default: false
                    }
                }
        }
    }
}
