import Foundation
import OptOutCore

/// What a webhook POSTs: with `json`, one request per notice carrying its document; with a
/// chat format, one message for all the notices of a round.
enum WebhookBody {
    /// The notices that go out together in one request.
    static func requests(_ documents: [NoticeDocument], format: WebhookFormat) -> [[NoticeDocument]] {
        format == .json ? documents.map { [$0] } : [documents]
    }

    /// The body of one request (of `requests`): a JSON document.
    static func encoded(_ documents: [NoticeDocument], format: WebhookFormat) throws(DeliveryError) -> [UInt8] {
        let encoder = JSONEncoder()
        // The document is as it always was; chat text keeps its links readable.
        encoder.outputFormatting = format == .json ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        do {
            switch format {
            case .json: return Array(try encoder.encode(documents[0]))
            case .slack: return Array(try encoder.encode(SlackPayload(ChatSummary(documents))))
            case .mattermost: return Array(try encoder.encode(MattermostPayload(ChatSummary(documents))))
            case .teams: return Array(try encoder.encode(TeamsPayload(ChatSummary(documents))))
            }
        } catch {
            throw DeliveryError("cannot encode the notice: \(error)", permanent: true)
        }
    }
}
