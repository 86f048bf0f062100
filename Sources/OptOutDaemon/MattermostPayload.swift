/// A Mattermost incoming-webhook message: `text` in Markdown, a heading and a list item
/// per notice with its settings nested below.
struct MattermostPayload: Encodable, Equatable {
    var text: String

    init(_ summary: ChatSummary) {
        var lines = ["#### \(Self.escaped(summary.title))"]
        for item in summary.items {
            lines.append(
                "- **\(Self.escaped(item.who))** (\(Self.escaped(item.account))) · \(Self.escaped(item.policy)): \(Self.escaped(item.timing))"
            )
            for action in item.actions {
                let title =
                    action.url.map { "[\(Self.escaped(action.title))](\(Self.linkTarget($0)))" }
                    ?? Self.escaped(action.title)
                lines.append("  - \(title) — \(Self.escaped(action.location))")
            }
            if item.moreActions > 0 { lines.append("  - and \(item.moreActions) more") }
            if !item.actions.contains(where: { $0.url != nil }), let source = item.source {
                lines.append("  - [About this change](\(Self.linkTarget(source)))")
            }
            if let confirm = item.confirm {
                lines.append("  - [\(ChatSummary.confirmLabel)](\(Self.linkTarget(confirm)))")
            }
        }
        if let omitted = summary.omittedLine { lines.append("\n_\(Self.escaped(omitted))_") }
        text = lines.joined(separator: "\n")
    }

    /// Names and titles are text, not Markdown: punctuation that would format is escaped
    /// (with the brackets escaped, parentheses cannot make a link).
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_~[]<>#|".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// A URL inside `(…)`, where a space or a parenthesis would end it.
    static func linkTarget(_ url: String) -> String {
        url.replacing(" ", with: "%20").replacing("(", with: "%28").replacing(")", with: "%29")
    }
}
