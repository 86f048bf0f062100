import CCurl
import Foundation
import OptOutCore
import OptOutRender

/// Mails notices: to the account's own address and the configured copies, over SMTP
/// (libcurl: STARTTLS, AUTH, one connection kept for a burst) or a sendmail program.
///
/// Each address is its own recipient, and everything due for it at once is one message:
/// a person gets one checklist for all their accounts and policies, a copy address one
/// bounded summary. With `digest: daily`, deliveries wait for the next `reminders.at`
/// after they fell due, so a recipient gets at most one message a day.
public struct EmailChannel: NotificationChannel {
    public let settings: EmailSettings
    public let credentials: Credentials
    public let renderer: MessageRenderer
    /// When digests go out: this time of day in `zone`.
    public let digestTime: TimeOfDay
    public let zone: Zone
    /// Gives each checklist the recipient's link to confirm, when `web:` is configured.
    public let links: ConfirmationLinks?
    /// What is done by the time a message goes out; without it, messages say what was
    /// pending when their notices were issued.
    public let currentStanding: CurrentStanding?
    /// The daemon's clock (see `ChannelFactory.clock`).
    private let clock: @Sendable () -> Instant
    private let curl = Curl()

    public init(
        settings: EmailSettings, credentials: Credentials, renderer: MessageRenderer, digestTime: TimeOfDay, zone: Zone,
        links: ConfirmationLinks? = nil, currentStanding: CurrentStanding? = nil,
        clock: @escaping @Sendable () -> Instant = { Instant(Date()) }
    ) {
        self.clock = clock
        self.links = links
        self.currentStanding = currentStanding
        self.settings = settings
        self.credentials = credentials
        self.renderer = renderer
        self.digestTime = digestTime
        self.zone = zone
    }

    public var name: String { "email" }
    public var gathersPerRecipient: Bool { true }

    /// One delivery per address: the owner's (with `to_owner`), then each copy address. An
    /// escalation goes to the account's manager instead of its owner.
    public func recipients(of notice: Notice) -> [String?] {
        var result: [String] = []
        if notice.event == .escalation {
            if let manager = notice.account.manager { result.append(manager) }
        } else if settings.toOwner, let owner = notice.account.email {
            result.append(owner)
        }
        for address in settings.cc where !result.contains(address) { result.append(address) }
        return result
    }

    /// The first digest round at or after the notice fell due. A round already past is
    /// caught up at once: a notice issued late (by a timer that runs a few minutes after
    /// `reminders.at`, or after the daemon was down) still goes out the day it belongs to.
    ///
    /// A deadline reminder whose round would come on or after its deadline's day, in the
    /// account's zone (an account west of the rounds' zone, whose reminder falls after the
    /// day's round), goes out at once instead: a reminder is only worth its name before.
    public func firstAttempt(of notice: Notice, issuedAt now: Instant) -> Instant {
        guard settings.digest == .daily else { return now }
        let day = zone.localDate(of: notice.at)
        let sameDay = zone.instant(of: day, at: digestTime)
        let round = max(sameDay >= notice.at ? sameDay : zone.instant(of: day.adding(days: 1), at: digestTime), now)
        if notice.event == .deadlineReminder, round >= notice.account.zone.midnight(of: notice.policy.deadline) {
            return now
        }
        return round
    }

    public func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError) {
        guard !documents.isEmpty, let recipient else { return }
        let now = clock()
        let domain = MailMessage.address(of: settings.from).split(separator: "@").last.map(String.init) ?? "optoutd"
        let messageID = Self.messageID(of: documents, to: recipient, domain: domain)
        // A copy address gets a summary, and so does a manager for the escalations of the
        // accounts they look after; the owner gets the checklist of what is theirs to do.
        let escalations = documents.filter { $0.event == .escalation && $0.account.email != recipient }
        let own = settings.cc.contains(recipient) ? [] : documents.filter { !escalations.contains($0) }
        let summarised = settings.cc.contains(recipient) ? documents : escalations
        var messages: [MailMessage] = []
        // Sorted as issued; told as things stand now (a step done since is not asked for).
        if !own.isEmpty {
            let (current, standing) =
                currentStanding?.checklist(own, to: recipient, at: now) ?? (own, RecipientStanding())
            messages.append(
                renderer.checklist(
                    current, to: recipient, from: settings.from, date: now, messageID: messageID,
                    confirmURL: confirmURL(current, others: standing.otherSteps, to: recipient, now: now),
                    standing: standing))
        }
        if !summarised.isEmpty {
            messages.append(
                renderer.summary(
                    currentStanding?.brought(upToDate: summarised) ?? summarised, day: zone.localDate(of: now),
                    to: recipient, from: settings.from, date: now,
                    messageID: own.isEmpty ? messageID : "s-" + messageID,
                    manager: !settings.cc.contains(recipient)))
        }
        for message in messages { try await send(message) }
    }

    /// The same for the same notices to the same address, so that a message sent again (the
    /// daemon stopped between sending it and recording that it was sent) is one that mail
    /// servers and programs can see as a repeat; a test is a new message every time.
    static func messageID(of documents: [NoticeDocument], to recipient: String, domain: String) -> String {
        guard !documents.contains(where: \.test) else { return "\(UUID().uuidString.lowercased())@\(domain)" }
        return NoticeIdentity.digest(of: documents, target: recipient) + "@\(domain)"
    }

    /// The link for the person at `recipient` covering the accounts of `documents` and those
    /// of their steps on other accounts; none when nothing remains to confirm.
    private func confirmURL(
        _ documents: [NoticeDocument], others: [RecipientStanding.Step], to recipient: String, now: Instant
    ) -> String? {
        guard let links, documents.contains(where: { !$0.pending.isEmpty }) || !others.isEmpty else { return nil }
        var accounts: [String] = []
        for id in documents.map(\.account.id) + others.map(\.account) where !accounts.contains(id) {
            accounts.append(id)
        }
        return links.url(recipient: recipient, accounts: accounts, now: now)
    }

    /// Sends a message through the configured transport.
    public func send(_ message: MailMessage) async throws(DeliveryError) {
        switch settings.transport {
        case .smtp(let url): try await sendSMTP(message, url: url)
        case .sendmail(let path): try await sendmail(message, program: path)
        }
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
