/// A message for a Microsoft Teams workflow webhook: one Adaptive Card with the title, a
/// container per notice (who and which policy, then facts: by when and each setting), and
/// buttons that open the settings pages.
struct TeamsPayload: Encodable, Equatable {
    struct Attachment: Encodable, Equatable {
        var contentType = "application/vnd.microsoft.card.adaptive"
        var content: Card
    }

    struct Card: Encodable, Equatable {
        var schema = "http://adaptivecards.io/schemas/adaptive-card.json"
        var type = "AdaptiveCard"
        var version = "1.4"
        var body: [Element]
        var actions: [Action]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case type, version, body, actions
        }
    }

    struct Element: Encodable, Equatable {
        var type: String
        var text: String?
        var weight: String?
        var size: String?
        var isSubtle: Bool?
        var wrap: Bool?
        var separator: Bool?
        var items: [Element]?
        var facts: [Fact]?

        static func textBlock(_ text: String, weight: String? = nil, size: String? = nil, subtle: Bool? = nil)
            -> Element
        {
            Element(type: "TextBlock", text: text, weight: weight, size: size, isSubtle: subtle, wrap: true)
        }
    }

    struct Fact: Encodable, Equatable {
        var title: String
        var value: String
    }

    struct Action: Encodable, Equatable {
        var type = "Action.OpenUrl"
        var title: String
        var url: String
    }

    var type = "message"
    var attachments: [Attachment]

    /// Teams shows only a few buttons side by side; the rest are links in the facts.
    static let buttonLimit = 5

    init(_ summary: ChatSummary) {
        var body = [Element.textBlock(summary.title, weight: "Bolder", size: "Medium")]
        var actions: [Action] = []
        for item in summary.items {
            var facts = [Fact(title: "When", value: item.timing)]
            for action in item.actions {
                let shown = ChatSummary.markdownEscaped(action.title)
                let title = action.url.map { "[\(shown)](\(MattermostPayload.linkTarget($0)))" } ?? shown
                facts.append(
                    Fact(title: "Switch off", value: "\(title) — \(ChatSummary.markdownEscaped(action.location))"))
                if let url = action.url, actions.count < Self.buttonLimit, !actions.contains(where: { $0.url == url }) {
                    actions.append(Action(title: ChatSummary.clip(action.title, to: 40), url: url))
                }
            }
            if item.moreActions > 0 { facts.append(Fact(title: "Switch off", value: "and \(item.moreActions) more")) }
            if !item.actions.contains(where: { $0.url != nil }), let source = item.source {
                facts.append(Fact(title: "About", value: "[\(item.policy)](\(source))"))
            }
            if let confirm = item.confirm {
                facts.append(Fact(title: "Done?", value: "[\(ChatSummary.confirmLabel)](\(confirm))"))
            }
            body.append(
                Element(
                    type: "Container", separator: true,
                    items: [
                        // Names come from inventories: shown as text, never as links or formatting.
                        .textBlock(
                            "**\(ChatSummary.markdownEscaped(item.who))** (\(ChatSummary.markdownEscaped(item.account))) · \(ChatSummary.markdownEscaped(item.policy))"
                        ),
                        Element(type: "FactSet", facts: facts),
                    ]))
        }
        if let omitted = summary.omittedLine { body.append(.textBlock(omitted, subtle: true)) }
        attachments = [Attachment(content: Card(body: body, actions: actions))]
    }
}
