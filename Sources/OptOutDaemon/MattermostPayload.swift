/// A Mattermost incoming-webhook message: `text` in Markdown, a heading and a list item
/// per notice with its settings nested below.
struct MattermostPayload: Encodable, Equatable {
    var text: String

    init(_ summary: ChatSummary) {
        var lines = ["#### \(Self.shown(summary.title))"]
        for item in summary.items {
            lines.append(
                "- **\(Self.shown(item.who))** (\(Self.shown(item.account))) · \(Self.shown(item.policy)): \(Self.shown(item.timing))"
            )
            for action in item.actions {
                let title =
                    action.url.map { "[\(Self.shown(action.title))](\(Self.linkTarget($0)))" }
                    ?? Self.shown(action.title)
                lines.append("  - \(title) — \(Self.shown(action.location))")
            }
            if item.moreActions > 0 { lines.append("  - and \(item.moreActions) more") }
            if !item.actions.contains(where: { $0.url != nil }), let source = item.source {
                lines.append("  - [About this change](\(Self.linkTarget(source)))")
            }
            if let confirm = item.confirm {
                lines.append("  - [\(ChatSummary.confirmLabel)](\(Self.linkTarget(confirm)))")
            }
        }
        if let omitted = summary.omittedLine { lines.append("\n_\(Self.shown(omitted))_") }
        text = lines.joined(separator: "\n")
    }

    /// Outside text as Mattermost shows it: Markdown escaped, and each `@` followed by a
    /// word joiner, so that a name such as `@channel` or `@all` notifies nobody (Mattermost
    /// reads mentions in a webhook's text, and has no escape for them).
    static func shown(_ text: String) -> String {
        ChatSummary.markdownEscaped(text).replacing("@", with: "@\u{2060}")
    }

    /// A URL inside `(…)`, where a space or a parenthesis would end it.
    static func linkTarget(_ url: String) -> String {
        url.replacing(" ", with: "%20").replacing("(", with: "%28").replacing(")", with: "%29")
    }
}
