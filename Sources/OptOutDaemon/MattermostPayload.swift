/// A Mattermost incoming-webhook message: `text` in Markdown, a heading and a list item
/// per notice with its settings nested below.
struct MattermostPayload: Encodable, Equatable {
    var text: String

    init(_ summary: ChatSummary) {
        var lines = ["#### \(ChatSummary.markdownEscaped(summary.title))"]
        for item in summary.items {
            lines.append(
                "- **\(ChatSummary.markdownEscaped(item.who))** (\(ChatSummary.markdownEscaped(item.account))) · \(ChatSummary.markdownEscaped(item.policy)): \(ChatSummary.markdownEscaped(item.timing))"
            )
            for action in item.actions {
                let title =
                    action.url.map { "[\(ChatSummary.markdownEscaped(action.title))](\(Self.linkTarget($0)))" }
                    ?? ChatSummary.markdownEscaped(action.title)
                lines.append("  - \(title) — \(ChatSummary.markdownEscaped(action.location))")
            }
            if item.moreActions > 0 { lines.append("  - and \(item.moreActions) more") }
            if !item.actions.contains(where: { $0.url != nil }), let source = item.source {
                lines.append("  - [About this change](\(Self.linkTarget(source)))")
            }
            if let confirm = item.confirm {
                lines.append("  - [\(ChatSummary.confirmLabel)](\(Self.linkTarget(confirm)))")
            }
        }
        if let omitted = summary.omittedLine { lines.append("\n_\(ChatSummary.markdownEscaped(omitted))_") }
        text = lines.joined(separator: "\n")
    }

    /// A URL inside `(…)`, where a space or a parenthesis would end it.
    static func linkTarget(_ url: String) -> String {
        url.replacing(" ", with: "%20").replacing("(", with: "%28").replacing(")", with: "%29")
    }
}
