import CCurl
import Foundation
import OptOutCore

/// POSTs each notice's JSON document to a URL. 2xx is delivered; 408, 429, 5xx, time-outs
/// and refused connections are retried; any other answer is a permanent failure.
public struct WebhookChannel: NotificationChannel {
    public let settings: WebhookSettings
    public let credentials: Credentials
    private let curl = Curl()

    public init(settings: WebhookSettings, credentials: Credentials) {
        self.settings = settings
        self.credentials = credentials
    }

    public var name: String { settings.name }

    public func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError) {
        var headers = ["Content-Type: application/json", "User-Agent: optoutd/\(OptOutVersion.current)", "Expect:"]
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
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for document in documents {
            let body: [UInt8]
            do { body = Array(try encoder.encode(document)) } catch {
                throw DeliveryError("cannot encode the notice: \(error)")
            }
            let transfer = Curl.Transfer(
                url: settings.url, body: body, upload: true, headers: headers, timeoutSeconds: settings.timeoutSeconds)
            let curl = curl
            let name = name
            let code = try await onOwnThread { cancellation throws(DeliveryError) in
                do throws(DeliveryError) {
                    return try curl.perform(transfer, cancellation: cancellation)
                } catch {
                    throw DeliveryError("webhook \(name): \(error.description)", cancelled: error.cancelled)
                }
            }
            switch code {
            case 200..<300: continue
            case 408, 429, 500..<600: throw DeliveryError("webhook \(name): HTTP \(code)")
            default: throw DeliveryError("webhook \(name): HTTP \(code), not retried", permanent: true)
            }
        }
    }
}
