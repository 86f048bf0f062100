/// How a platform's id is written for people: `linkedin` is LinkedIn.
enum PlatformName {
    private static let names = [
        "linkedin": "LinkedIn", "facebook": "Facebook", "instagram": "Instagram", "x": "X", "claude": "Claude",
        "copilot": "Copilot", "tumblr": "Tumblr", "wordpress": "WordPress",
    ]

    /// A platform the table does not know is written with a capital first letter.
    static func display(_ id: String) -> String {
        names[id] ?? id.prefix(1).uppercased() + id.dropFirst()
    }
}
