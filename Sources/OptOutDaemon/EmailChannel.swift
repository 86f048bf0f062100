import CCurl
import Foundation
import OptOutCore

/// Mails notices: to the account's own address and the configured copies, over SMTP
/// (libcurl: STARTTLS, AUTH, one connection kept for a burst) or a sendmail program.
/// With `digest: daily`, each recipient gets one message a day at `reminders.at`.
public struct EmailChannel: NotificationChannel {
    public let settings: EmailSettings
    public let credentials: Credentials
    /// When digests go out: this time of day in `zone`.
    public let digestTime: TimeOfDay
    public let zone: Zone
    private let curl = Curl()

    public init(settings: EmailSettings, credentials: Credentials, digestTime: TimeOfDay, zone: Zone) {
        self.settings = settings
        self.credentials = credentials
        self.digestTime = digestTime
        self.zone = zone
    }

    public var name: String { "email" }
    public var gathersPerRecipient: Bool { digest }
    private var digest: Bool { settings.digest == .daily }

    /// Without digests, one message per notice (owner in To, copies in Cc): one delivery.
    /// With digests, one delivery per recipient, gathered into that recipient's daily message.
    public func recipients(of notice: Notice) -> [String?] {
        let addresses = addresses(owner: notice.account.email)
        guard !addresses.isEmpty else { return [] }
        return digest ? addresses : [nil]
    }

    public func firstAttempt(issuedAt now: Instant) -> Instant {
        guard digest else { return now }
        let today = zone.instant(of: zone.localDate(of: now), at: digestTime)
        return today >= now ? today : zone.instant(of: zone.localDate(of: now).adding(days: 1), at: digestTime)
    }

    public func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError) {
        guard let first = documents.first else { return }
        let to: [String]
        var cc: [String] = []
        if let recipient {
            to = [recipient]
        } else {
            let owner = settings.toOwner ? first.account.email : nil
            to = owner.map { [$0] } ?? Array(settings.cc.prefix(1))
            cc = settings.cc.filter { !to.contains($0) }
        }
        let now = Instant(Date())
        let domain = MailMessage.address(of: settings.from).split(separator: "@").last.map(String.init) ?? "optoutd"
        let message = NoticeMail.message(
            documents, from: settings.from, to: to, cc: cc, date: now,
            messageID: "\(UUID().uuidString.lowercased())@\(domain)")
        switch settings.transport {
        case .smtp(let url): try await sendSMTP(message, url: url)
        case .sendmail(let path): try await sendmail(message, program: path)
        }
    }

    private func addresses(owner: String?) -> [String] {
        var result: [String] = []
        if settings.toOwner, let owner { result.append(owner) }
        for address in settings.cc where !result.contains(address) { result.append(address) }
        return result
    }

    private func sendSMTP(_ message: MailMessage, url: String) async throws(DeliveryError) {
        let useTLS: curl_usessl =
            switch settings.startTLS {
            case .required: CURLUSESSL_ALL
            case .opportunistic: CURLUSESSL_TRY
            case .off: CURLUSESSL_NONE
            }
        var transfer = Curl.Transfer(
            url: url, body: message.rendered, upload: true, mailFrom: "<\(message.envelopeFrom)>",
            mailRecipients: message.recipients.map { "<\($0)>" }, useTLS: Int(useTLS.rawValue),
            caFile: settings.tlsCAFile)
        if let username = settings.username {
            transfer.username = username
            transfer.password = try settings.passwordCredential.map { name throws(DeliveryError) in
                try credentials.value(name)
            }
        }
        let curl = curl
        let frozen = transfer
        _ = try await onOwnThread { cancellation throws(DeliveryError) in
            do throws(DeliveryError) {
                return try curl.perform(frozen, cancellation: cancellation)
            } catch {
                throw DeliveryError("email: smtp: \(error.description)", cancelled: error.cancelled)
            }
        }
    }

    private func sendmail(_ message: MailMessage, program: String) async throws(DeliveryError) {
        let process = Subprocess(
            arguments: [program, "-i", "-t"], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
            input: message.rendered, timeout: .seconds(60))
        let outcome = try await onOwnThread { cancellation throws(DeliveryError) in
            var output = HookOutput { _, _ in }
            do {
                return try process.run(cancellation: cancellation, output: &output)
            } catch {
                throw DeliveryError("email: sendmail: cannot run \(program): \(error)")
            }
        }
        if outcome == .cancelled { throw DeliveryError("email: sendmail was stopped", cancelled: true) }
        guard outcome == .exited(0) else { throw DeliveryError("email: sendmail: \(program) ended with \(outcome)") }
    }
}
