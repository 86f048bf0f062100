import Foundation
import OptOutCore

/// The journal: every notice becomes one entry with the fields of the journal contract
/// (docs/operations.md). With `echo`, each notice written is also shown as one line (the
/// daemon run by hand in a terminal, such as `make run`, shows what it sends).
public struct JournalChannel: NotificationChannel {
    public let name = ChannelSettings.journal
    private let journal: Journal
    private let echo: (@Sendable (String) -> Void)?

    public init(journal: Journal = Journal(), echo: (@Sendable (String) -> Void)? = nil) {
        self.journal = journal
        self.echo = echo
    }

    public func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError) {
        // libsystemd drops entries silently when no journald listens: that is not a delivery.
        guard Journal.isAvailable else {
            throw DeliveryError("journal: no journald socket at /run/systemd/journal/socket")
        }
        for document in documents {
            var fields: [(name: String, value: String)] = [
                ("MESSAGE", document.message), ("MESSAGE_ID", MessageID.notice(document.event)),
                ("PRIORITY", String(document.priority)), ("SYSLOG_IDENTIFIER", "optoutd"),
            ]
            fields += document.optoutFields
            if document.test { fields.append(("OPTOUT_TEST", "1")) }
            do {
                try journal.send(fields)
            } catch {
                throw DeliveryError("journal: \(error)")
            }
            echo?("\(document.event.rawValue): \(document.message)")
        }
    }
}
