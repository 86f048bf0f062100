import Foundation
import OptOutCore

/// What a webhook POSTs: with `json`, one request per notice carrying its document; with a
/// chat format, one message for all the notices of a round.
enum WebhookBody {
    /// The notices that go out together in one request.
    static func requests(_ documents: [NoticeDocument], format: WebhookFormat) -> [[NoticeDocument]] {
        format == .json ? documents.map { [$0] } : [documents]
    }

    /// How large a chat message may be, below what each service accepts in one post
    /// (Teams refuses larger cards, Mattermost splits longer posts).
    static func budget(_ format: WebhookFormat) -> Int {
        switch format {
        case .json: .max
        case .slack: 40_000
        case .mattermost: 16_000
        case .teams: 24_000
        }
    }

    /// The body of one request (of `requests`): a JSON document. A chat message that would
    /// pass its budget lists fewer notices and counts the rest.
    static func encoded(_ documents: [NoticeDocument], format: WebhookFormat) throws(DeliveryError) -> [UInt8] {
        let encoder = JSONEncoder()
        // The document is as it always was; chat text keeps its links readable.
        encoder.outputFormatting = format == .json ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        do {
            let render: (ChatSummary) throws -> Data
            switch format {
            case .json: return Array(try encoder.encode(documents[0]))
            case .slack: render = { try encoder.encode(SlackPayload($0)) }
            case .mattermost: render = { try encoder.encode(MattermostPayload($0)) }
            case .teams: render = { try encoder.encode(TeamsPayload($0)) }
            }
            var limit = ChatSummary.itemLimit
            while true {
                let body = try render(ChatSummary(documents, limit: limit))
                if body.count <= budget(format) || limit == 1 { return Array(body) }
                limit = max(1, min(limit - 1, limit * 3 / 4))
            }
        } catch {
            throw DeliveryError("cannot encode the notice: \(error)", permanent: true)
        }
    }
}
