import Crypto
import Foundation
import OptOutCore

/// Signs webhook requests as the Standard Webhooks specification has it: HMAC-SHA256 over
/// `ID.TIMESTAMP.BODY` with the endpoint's secret, sent as `webhook-signature: v1,BASE64`
/// beside `webhook-id` and `webhook-timestamp`, so that a receiver can check that a
/// request comes from this daemon, is not replayed long after, and was not altered.
struct WebhookSignature {
    private let key: SymmetricKey

    /// A secret as the specification writes it: `whsec_` and the key in base64. Errors name
    /// the credential, never its value.
    init(secret: String, credential: String) throws(DeliveryError) {
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))),
            !key.isEmpty
        else {
            throw DeliveryError(
                "credential '\(credential)' is not a signing secret: it must be 'whsec_' followed by the key in base64",
                permanent: true)
        }
        self.key = SymmetricKey(data: key)
    }

    /// The `webhook-signature` value for one request.
    func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var content = Array("\(id).\(timestamp).".utf8)
        content += body
        let code = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(code).base64EncodedString()
    }

    /// The three headers for one request.
    func headers(id: String, timestamp: Int, body: [UInt8]) -> [String] {
        [
            "webhook-id: \(id)", "webhook-timestamp: \(timestamp)",
            "webhook-signature: \(signature(id: id, timestamp: timestamp, body: body))",
        ]
    }

    /// The request's id: the same for every attempt at the same delivery, so that a
    /// receiver can drop a request it already has (a retry after a lost answer), and
    /// different for any other. It stands for the target and the notices' identities.
    static func messageID(_ documents: [NoticeDocument], target: String) -> String {
        "msg_" + NoticeIdentity.digest(of: documents, target: target)
    }
}
