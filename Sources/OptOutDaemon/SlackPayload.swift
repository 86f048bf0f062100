/// A Slack incoming-webhook message: `text` for notifications and clients without blocks,
/// `blocks` for the channel (a header, a section per notice, a context line for the rest).
struct SlackPayload: Encodable, Equatable {
    struct Text: Encodable, Equatable {
        var type: String
        var text: String
    }

    struct Block: Encodable, Equatable {
        var type: String
        var text: Text?
        var elements: [Text]?
    }

    var text: String
    var blocks: [Block]

    /// Slack's limits on a header's and a section's text.
    static let headerLimit = 150
    static let sectionLimit = 3000

    init(_ summary: ChatSummary) {
        text = summary.title
        blocks = [
            Block(
                type: "header",
                text: Text(type: "plain_text", text: ChatSummary.clip(summary.title, to: Self.headerLimit)))
        ]
        for item in summary.items {
            var lines = ["*\(Self.escaped(item.who))* (\(Self.escaped(item.account))) · \(Self.escaped(item.policy))"]
            lines.append("_\(Self.escaped(item.timing))_")
            for action in item.actions {
                let title =
                    action.url.map { "<\(Self.linkTarget($0))|\(Self.escaped(action.title))>" }
                    ?? Self.escaped(action.title)
                lines.append("• \(title) — \(Self.escaped(action.location))")
            }
            if item.moreActions > 0 { lines.append("• and \(item.moreActions) more") }
            if !item.actions.contains(where: { $0.url != nil }), let source = item.source {
                lines.append("<\(Self.linkTarget(source))|About this change>")
            }
            if let confirm = item.confirm { lines.append("<\(Self.linkTarget(confirm))|\(ChatSummary.confirmLabel)>") }
            let section = ChatSummary.clip(lines.joined(separator: "\n"), to: Self.sectionLimit)
            blocks.append(Block(type: "section", text: Text(type: "mrkdwn", text: section)))
        }
        if let omitted = summary.omittedLine {
            blocks.append(Block(type: "context", elements: [Text(type: "mrkdwn", text: Self.escaped(omitted))]))
        }
    }

    /// Slack reads `&`, `<` and `>` as markup in `mrkdwn` text.
    static func escaped(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }

    /// A URL inside `<…|…>`, where `|` and `>` would end it.
    static func linkTarget(_ url: String) -> String {
        url.replacing("|", with: "%7C").replacing(">", with: "%3E").replacing("<", with: "%3C")
    }
}
