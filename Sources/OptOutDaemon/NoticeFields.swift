import OptOutCore

/// The journal fields of a notification, exactly the SPEC's.
public enum NoticeFields {
    /// `MESSAGE`, `MESSAGE_ID`, `PRIORITY`, `SYSLOG_IDENTIFIER` and the `OPTOUT_*` fields.
    public static func dictionary(_ notice: Notice) -> [String: String] {
        [
            "MESSAGE": notice.message,
            "MESSAGE_ID": MessageID.notice(notice.event),
            "PRIORITY": String(notice.event.priority),
            "SYSLOG_IDENTIFIER": "optoutd",
            "OPTOUT_EVENT": notice.event.rawValue,
            "OPTOUT_ACCOUNT": notice.account.id,
            "OPTOUT_PLATFORM": notice.account.platform,
            "OPTOUT_REGION": notice.account.region.description,
            "OPTOUT_POLICY": notice.policy.id,
            "OPTOUT_EFFECTIVE": notice.policy.effective.description,
            "OPTOUT_DEADLINE": notice.policy.deadline.description,
            "OPTOUT_DAYS_LEFT": String(notice.daysLeft),
            "OPTOUT_PENDING": notice.pending.map(\.id).joined(separator: ","),
            "OPTOUT_LATE": notice.late ? "1" : "0",
        ]
    }
}
