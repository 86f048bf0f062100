import Foundation
import OptOutCore

/// The privacy team's compliance summary, mailed every `report_every` days.
extension Daemon {
    /// When the summary of `configuration` is next due; `nil` when none is configured.
    func nextSummaryReport(_ configuration: Configuration, now: Instant) throws -> Instant? {
        guard let report = SummaryReport(configuration) else { return nil }
        return report.nextDue(after: try store.lastSummaryReport(), now: now)
    }

    /// Builds the summary from the store and mails it; records and logs it once sent.
    /// Returns whether it went out.
    func sendSummaryReport(_ report: SummaryReport, outbox: Outbox, now: Instant) async -> Bool {
        guard let email = outbox.channels["email"] as? EmailChannel else { return false }
        do {
            let message = report.message(
                records: try store.acknowledgements(), firstSeen: try store.firstSightings(), at: now)
            try await email.send(message)
            try store.recordSummaryReport(at: now)
            logger.notice(
                "compliance summary mailed to \(report.email.reportTo.joined(separator: ", "))",
                metadata: ["MESSAGE_ID": "\(MessageID.summaryReportSent)"])
            return true
        } catch {
            logger.warning(
                "the compliance summary could not be mailed: \(error); trying again in an hour",
                metadata: ["MESSAGE_ID": "\(MessageID.summaryReportFailed)", "OPTOUT_CHANNEL": "email"])
            return false
        }
    }
}
