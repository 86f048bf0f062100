import CCurl
import Foundation
import OptOutCore

/// POSTs notices to a URL: with `format: json` each notice's JSON document, with a chat
/// format one message for all the notices of a round. Requests are signed as Standard
/// Webhooks when a signing secret is configured. 2xx is delivered; 408, 429, 5xx,
/// time-outs and refused connections are retried; any other answer is a permanent failure.
public struct WebhookChannel: NotificationChannel {
    public let settings: WebhookSettings
    public let credentials: Credentials
    private let curl = Curl()

    public init(settings: WebhookSettings, credentials: Credentials) {
        self.settings = settings
        self.credentials = credentials
    }

    public var name: String { settings.name }
    /// A chat channel gets one post per round, not one per notice.
    public var gathersPerRecipient: Bool { settings.format != .json }

    public func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError) {
        var headers = ["Content-Type: application/json", "User-Agent: optoutd/\(OptOutVersion.current)", "Expect:"]
        // Values that must never show in an error, even when a server echoes them back.
        var secrets: [String] = []
        for header in settings.headers {
            let value = try credentials.value(header.credential)
            // A value must not end the header and start another one. Swift reads "\r\n" as
            // one Character, which is neither "\r" nor "\n": look at the scalars.
            if let bad = value.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
                throw DeliveryError(
                    "webhook \(name): credential '\(header.credential)' holds a control character (U+\(String(bad.value, radix: 16, uppercase: true))); it is not sent",
                    permanent: true)
            }
            headers.append("\(header.name): \(value)")
            secrets.append(value)
        }
        let signer = try signing()
        if let signer { secrets += [signer.secret, String(signer.secret.dropFirst("whsec_".count))] }
        for request in WebhookBody.requests(documents, format: settings.format) {
            let body = try WebhookBody.encoded(request, format: settings.format)
            var requestHeaders = headers
            if let signature = signer?.signature {
                let id = WebhookSignature.messageID(request, target: name)
                requestHeaders += signature.headers(id: id, timestamp: Int(Date().timeIntervalSince1970), body: body)
            }
            try await post(body, headers: requestHeaders, secrets: secrets)
        }
    }

    /// The request signer, with the secret it was made from, when one is configured.
    private func signing() throws(DeliveryError) -> (signature: WebhookSignature, secret: String)? {
        guard let credential = settings.signingSecretCredential else { return nil }
        let secret = try credentials.value(credential)
        do throws(DeliveryError) {
            return (try WebhookSignature(secret: secret, credential: credential), secret)
        } catch {
            throw DeliveryError("webhook \(name): \(error.description)", permanent: true)
        }
    }

    private func post(_ body: [UInt8], headers: [String], secrets: [String]) async throws(DeliveryError) {
        let transfer = Curl.Transfer(
            url: settings.url, body: body, upload: true, headers: headers, timeoutSeconds: settings.timeoutSeconds,
            secrets: secrets)
        let curl = curl
        let name = name
        let response = try await onOwnThread { cancellation throws(DeliveryError) in
            do throws(DeliveryError) {
                return try curl.perform(transfer, cancellation: cancellation)
            } catch {
                throw DeliveryError("webhook \(name): \(error.description)", cancelled: error.cancelled)
            }
        }
        let code = response.code
        guard !(200..<300).contains(code) else { return }
        // The body comes with the secrets taken out (`Transfer.secrets`).
        let said = response.body.text.map { ": \($0)" } ?? ""
        switch code {
        case 408, 429, 500..<600: throw DeliveryError("webhook \(name): HTTP \(code)\(said)")
        default: throw DeliveryError("webhook \(name): HTTP \(code)\(said); not retried", permanent: true)
        }
    }
}
