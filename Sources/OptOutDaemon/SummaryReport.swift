import Foundation
import OptOutCore

/// The privacy team's compliance summary (`channels.email.report_to`): the summaries in the
/// mail's text, the whole HTML report attached, every `report_every` days at
/// `reminders.at` in the configuration's zone.
struct SummaryReport {
    let configuration: Configuration
    let email: EmailSettings

    init?(_ configuration: Configuration) {
        guard let email = configuration.channels.email, !email.reportTo.isEmpty else { return nil }
        self.configuration = configuration
        self.email = email
    }

    /// When the next summary is due: `report_every` days after the last, or at the next
    /// `reminders.at` when none went out yet.
    func nextDue(after last: Instant?, now: Instant) -> Instant {
        let zone = configuration.defaultZone
        let at = configuration.reminders.at
        if let last {
            return zone.instant(of: zone.localDate(of: last).adding(days: email.reportEveryDays), at: at)
        }
        let today = zone.instant(of: zone.localDate(of: now), at: at)
        return today >= now ? today : zone.instant(of: zone.localDate(of: now).adding(days: 1), at: at)
    }

    /// The mail, with the state as the store's records give it at `now`.
    func message(records: [Acknowledgement], firstSeen: [String: Instant], at now: Instant) -> MailMessage {
        let report = ComplianceReport(configuration: configuration, records: records, firstSeen: firstSeen, at: now)
        let zone = configuration.defaultZone
        let day = zone.localDate(of: now)
        let covered = report.policies.reduce(0) { $0 + $1.accounts.covered }
        let done = report.policies.reduce(0) { $0 + $1.accounts.done }
        let body =
            "Opt-out compliance on \(day): \(done) of \(covered) account and policy pairs done, over \(report.accountCount) accounts.\n\n"
            + report.summaryTables.text
            + "\nThe full report, with every account and action and the share done over time, is attached (HTML).\n"
        let domain = MailMessage.address(of: email.from).split(separator: "@").last.map(String.init) ?? "optoutd"
        // As the other messages: the sender's name and the subject's prefix from `messages`.
        // The report itself is in English, and says so.
        let messages = configuration.messages
        let from = messages.sender(email.from)
        let subject =
            (messages.subjectPrefix.map { $0 + " " } ?? "") + "Opt-out compliance on \(day): \(done) of \(covered) done"
        return MailMessage(
            from: from, to: email.reportTo, subject: subject,
            date: now, messageID: "report-\(day.basicFormat)-\(UUID().uuidString.lowercased())@\(domain)",
            extraHeaders: [("X-Optoutd-Event", "report")], body: body,
            attachments: [
                MailAttachment(
                    contentType: "text/html; charset=utf-8", filename: "opt-out-report-\(day).html",
                    bytes: report.html(zone: zone).bytes)
            ], language: "en")
    }
}
