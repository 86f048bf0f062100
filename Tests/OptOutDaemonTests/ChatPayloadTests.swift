import Foundation
import OptOutCore
import Testing

@testable import OptOutDaemon

/// The chat messages a round of notices becomes, as each service reads them.
struct ChatPayloadTests {
    let round = [
        NoticeDocuments.make(account: "li-chan", name: "Chan Ka-ming"),
        NoticeDocuments.make(
            account: "li-chan", name: "Chan Ka-ming", policy: "ads", title: "Ads", deadline: "2025-12-01",
            actions: [("ads-data", "Data for ads", "https://example.org/ads")]),
        NoticeDocuments.make(account: "li-ito", deadline: "2025-10-01", daysLeft: -21),
    ]

    func json(_ documents: [NoticeDocument], _ format: WebhookFormat) throws -> [String: Any] {
        let body = try WebhookBody.encoded(documents, format: format)
        return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }

    @Test func aRoundIsOneChatRequestButOneJSONRequestPerNotice() {
        #expect(WebhookBody.requests(round, format: .slack).count == 1)
        #expect(WebhookBody.requests(round, format: .teams) == [round])
        #expect(WebhookBody.requests(round, format: .json).map(\.count) == [1, 1, 1])
    }

    @Test func theTitleSaysHowManySettingsForWhomAndWhatIsOverdue() {
        #expect(ChatSummary(round).title == "3 settings to switch off, 2 accounts, 1 overdue")
        #expect(
            ChatSummary(Array(round.prefix(2))).title == "2 settings to switch off, 1 account, first before 2025-11-03")
        // One switch shared by two policies is one setting.
        let shared = [
            NoticeDocuments.make(account: "li-chan"), NoticeDocuments.make(account: "li-chan", policy: "other"),
        ]
        #expect(ChatSummary(shared).title == "1 setting to switch off, 1 account, first before 2025-11-03")
        let done = NoticeDocuments.make(account: "li-chan", event: .optedOut, actions: [])
        #expect(ChatSummary([done]).title == "1 account opted out of everything due")
    }

    @Test func itemsComeByDeadlineAndSayWhoWhatWhereAndWhen() {
        let items = ChatSummary(round).items
        #expect(items.map(\.who) == ["li-ito", "Chan Ka-ming", "Chan Ka-ming"])
        #expect(items.map(\.policy) == ["AI training", "AI training", "Ads"])
        #expect(items[0].timing == "overdue since 2025-10-01 (22 days)")
        #expect(items[1].timing == "switch off before 2025-11-03 (12 days left)")
        #expect(items[1].account == "linkedin, CA")
        // On the deadline's date, the deadline ("before" it) has passed: the first day overdue.
        let onTheDay = NoticeDocuments.make(account: "li-late", event: .overdue, daysLeft: 0)
        #expect(ChatSummary([onTheDay]).items[0].timing == "overdue since 2025-11-03 (1 day)")
        #expect(ChatSummary([onTheDay]).title.hasSuffix(", 1 overdue"))
    }

    @Test func slackHasTextAHeaderAndASectionPerNotice() throws {
        let payload = try json(round, .slack)
        #expect(payload["text"] as? String == "3 settings to switch off, 2 accounts, 1 overdue")
        let blocks = try #require(payload["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "section", "section"])
        let section = try #require((blocks[2]["text"] as? [String: Any])?["text"] as? String)
        #expect(
            section == """
                *Chan Ka-ming* (linkedin, CA) · AI training
                _switch off before 2025-11-03 (12 days left)_
                • <https://example.org/ai|Data for AI> — Settings › Data privacy
                """)
    }

    @Test func slackMarkupInNamesIsEscaped() {
        let payload = SlackPayload(ChatSummary([NoticeDocuments.make(account: "x", name: "<!channel> & co")]))
        #expect(payload.blocks[1].text?.text.hasPrefix("*&lt;!channel&gt; &amp; co*") == true)
    }

    @Test func aLongRoundListsTwentyAndCountsTheRest() throws {
        let many = (1...25).map { NoticeDocuments.make(account: "account-\($0)") }
        let slack = SlackPayload(ChatSummary(many))
        #expect(slack.blocks.filter { $0.type == "section" }.count == 20)
        #expect(
            slack.blocks.last?.elements?.first?.text
                == "… and 5 more notices (every notice is in the journal of the optoutd host)")
        let mattermost = MattermostPayload(ChatSummary(many))
        #expect(mattermost.text.split(separator: "\n").filter { $0.hasPrefix("- ") }.count == 20)
        #expect(
            mattermost.text.hasSuffix("_… and 5 more notices (every notice is in the journal of the optoutd host)_"))
    }

    @Test(arguments: [WebhookFormat.slack, .mattermost, .teams])
    func aPostStaysWithinWhatTheServiceAccepts(format: WebhookFormat) throws {
        let long = String(repeating: "a long title ", count: 40)
        let actions = (1...8).map { ("action-\($0)", long, Optional("https://example.org/settings/\($0)")) }
        let many = (1...20).map {
            NoticeDocuments.make(account: "account-\($0)", name: long, title: long, actions: actions)
        }
        let body = try WebhookBody.encoded(many, format: format)
        #expect(body.count <= WebhookBody.budget(format))
        #expect(String(decoding: body, as: UTF8.self).contains("more notices (every notice is in the journal"))
    }

    @Test func mattermostIsMarkdownWithLinksAndEscapedNames() throws {
        let payload = try json([NoticeDocuments.make(account: "x", name: "a_b*c")], .mattermost)
        #expect(
            payload["text"] as? String == """
                #### 1 setting to switch off, 1 account, first before 2025-11-03
                - **a\\_b\\*c** (linkedin, CA) · AI training: switch off before 2025-11-03 (12 days left)
                  - [Data for AI](https://example.org/ai) — Settings › Data privacy
                """)
    }

    /// A name in an inventory must not notify a whole channel.
    @Test func mattermostMentionsInNamesNotifyNobody() throws {
        let payload = try json([NoticeDocuments.make(account: "x", name: "@channel @here and @all")], .mattermost)
        let text = try #require(payload["text"] as? String)
        // No `@` directly before a name, as Mattermost's mentions need.
        #expect(
            !text.unicodeScalars.indices.contains { index in
                text.unicodeScalars[index] == "@"
                    && text.unicodeScalars.index(after: index) < text.unicodeScalars.endIndex
                    && text.unicodeScalars[text.unicodeScalars.index(after: index)].properties.isAlphabetic
            }, "\(text)")
        #expect(text.contains("**@\u{2060}channel @\u{2060}here and @\u{2060}all**"))
    }

    /// A name from an inventory once became a live link in the privacy team's channel.
    @Test func teamsShowsNamesAsTextNotAsLinksOrFormatting() throws {
        let name = "[Click to verify](https://evil.example/phish) _x_"
        let payload = try json([NoticeDocuments.make(account: "x", name: name)], .teams)
        let card = try #require((payload["attachments"] as? [[String: Any]])?.first?["content"] as? [String: Any])
        let body = try #require(card["body"] as? [[String: Any]])
        let items = try #require(body[1]["items"] as? [[String: Any]])
        #expect(
            items[0]["text"] as? String
                == "**\\[Click to verify\\](https://evil.example/phish) \\_x\\_** (linkedin, CA) · AI training")
    }

    @Test func anActionWithoutALinkPointsToThePolicysSource() {
        let document = NoticeDocuments.make(account: "x", actions: [("ai-data", "Data for AI", nil)])
        #expect(
            MattermostPayload(ChatSummary([document])).text.contains(
                "  - [About this change](https://example.org/news)"))
        #expect(
            SlackPayload(ChatSummary([document])).blocks[1].text?.text.hasSuffix(
                "<https://example.org/news|About this change>") == true)
    }

    @Test func teamsIsAnAdaptiveCardWithFactsAndButtons() throws {
        let payload = try json(round, .teams)
        #expect(payload["type"] as? String == "message")
        let attachment = try #require((payload["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["version"] as? String == "1.4")
        #expect(card["$schema"] as? String == "http://adaptivecards.io/schemas/adaptive-card.json")
        let body = try #require(card["body"] as? [[String: Any]])
        #expect(body.map { $0["type"] as? String } == ["TextBlock", "Container", "Container", "Container"])
        #expect(body[0]["text"] as? String == "3 settings to switch off, 2 accounts, 1 overdue")
        let items = try #require(body[2]["items"] as? [[String: Any]])
        #expect(items[0]["text"] as? String == "**Chan Ka-ming** (linkedin, CA) · AI training")
        let facts = try #require(items[1]["facts"] as? [[String: String]])
        #expect(
            facts == [
                ["title": "When", "value": "switch off before 2025-11-03 (12 days left)"],
                ["title": "Switch off", "value": "[Data for AI](https://example.org/ai) — Settings › Data privacy"],
            ])
        // One button per distinct settings page.
        let actions = try #require(card["actions"] as? [[String: String]])
        #expect(
            actions == [
                ["type": "Action.OpenUrl", "title": "Data for AI", "url": "https://example.org/ai"],
                ["type": "Action.OpenUrl", "title": "Data for ads", "url": "https://example.org/ads"],
            ])
    }

    @Test func theJSONFormatIsTheNoticeDocument() throws {
        let body = try WebhookBody.encoded([round[0]], format: .json)
        #expect(try JSONDecoder().decode(NoticeDocument.self, from: Data(body)) == round[0])
    }
}
