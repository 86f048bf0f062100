/// How a message or a page names a person's account: not at all when it is their only one on
/// its platform; by its name (or id) when they have several there; by name and id when two
/// of those share a name (a person's page and profile).
enum AccountLabels {
    /// The label of each account that needs one, by id.
    static func labels(_ accounts: [(id: String, platform: String, name: String?)]) -> [String: String] {
        var perPlatform: [String: Int] = [:]
        var perName: [String: Int] = [:]
        for account in accounts {
            perPlatform[account.platform, default: 0] += 1
            if let name = account.name { perName[account.platform + "\u{0}" + name, default: 0] += 1 }
        }
        var labels: [String: String] = [:]
        for account in accounts where perPlatform[account.platform, default: 0] > 1 {
            guard let name = account.name else {
                labels[account.id] = account.id
                continue
            }
            labels[account.id] =
                perName[account.platform + "\u{0}" + name, default: 0] > 1 ? "\(name), \(account.id)" : name
        }
        return labels
    }
}
