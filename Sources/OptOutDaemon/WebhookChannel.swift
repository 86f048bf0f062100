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
            // A value must not end the header and start another one.
            guard !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw DeliveryError("credential '\(header.credential)' holds a line break", permanent: true)
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
            let code = try await onOwnThread { () throws(DeliveryError) in try curl.perform(transfer) }
            switch code {
            case 200..<300: continue
            case 408, 429, 500..<600: throw DeliveryError("webhook \(name): HTTP \(code)")
            default: throw DeliveryError("webhook \(name): HTTP \(code), not retried", permanent: true)
            }
        }
    }
}

/// The version `optoutd --version` prints and clients send.
public enum OptOutVersion {
    public static let current = "0.1.0"
}
