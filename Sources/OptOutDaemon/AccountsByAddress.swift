import OptOutCore
import Synchronization

/// The accounts of each mail address, in the configuration's order: a person's accounts, for
/// their mail and their confirmation page. Made when first asked for: a configuration that
/// mails no one never needs it.
public final class AccountsByAddress: Sendable {
    private let configuration: Configuration
    private let index = Mutex<[String: [Int]]?>(nil)

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// The accounts whose `email` is `address` (compared as written, as links compare it).
    public func accounts(of address: String) -> [Account] {
        let indices = index.withLock { index in
            if index == nil {
                var made: [String: [Int]] = [:]
                for (number, account) in configuration.accounts.enumerated() {
                    if let email = account.email { made[email, default: []].append(number) }
                }
                index = made
            }
            return index?[address] ?? []
        }
        return indices.map { configuration.accounts[$0] }
    }
}
