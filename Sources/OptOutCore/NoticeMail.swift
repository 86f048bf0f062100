/// The words of a notification e-mail: what applies, which data, what to click, by when.
public enum NoticeMail {
    /// One message for one notice, or a digest of several for one recipient.
    public static func message(
        _ documents: [NoticeDocument], from: String, to: [String], cc: [String] = [], date: Instant, messageID: String
    ) -> MailMessage {
        var headers: [(name: String, value: String)] = []
        if documents.count == 1, let document = documents.first {
            headers = [
                ("X-Optoutd-Event", document.event.rawValue), ("X-Optoutd-Account", document.account.id),
                ("X-Optoutd-Policy", document.policy.id),
            ]
        } else {
            headers = [
                ("X-Optoutd-Event", "digest"),
                ("X-Optoutd-Account", unique(documents.map(\.account.id)).joined(separator: ", ")),
                ("X-Optoutd-Policy", unique(documents.map(\.policy.id)).joined(separator: ", ")),
            ]
        }
        return MailMessage(
            from: from, to: to, cc: cc, subject: subject(documents), date: date, messageID: messageID,
            extraHeaders: headers, body: body(documents))
    }

    public static func subject(_ documents: [NoticeDocument]) -> String {
        let test = documents.contains(where: \.test) ? "[optoutd test] " : "[optoutd] "
        guard documents.count == 1, let document = documents.first else {
            let days = unique(documents.map(\.date))
            return test + "\(documents.count) opt-out notices" + (days.count == 1 ? " for \(days[0])" : "")
        }
        let who = document.account.name ?? document.account.id
        let policy = document.policy.id
        switch document.event {
        case .policyApplies: return test + "\(policy) applies to \(who)"
        case .deadlineReminder:
            return test
                + "\(document.daysLeft == 1 ? "1 day" : "\(document.daysLeft) days") left to opt out of \(policy) (\(who))"
        case .policyEffective: return test + "\(policy) takes effect today (\(who))"
        case .overdue: return test + "Overdue: opt out of \(policy) (\(who))"
        case .escalation: return test + "Not opted out: \(who) on \(policy), overdue since \(document.policy.deadline)"
        case .optedOut: return test + "\(who) has opted out of \(policy)"
        }
    }

    public static func body(_ documents: [NoticeDocument]) -> String {
        var text = ""
        if documents.contains(where: \.test) {
            text += "This is a test sent by `optoutd test-notify`: the notice below is an example.\n\n"
        }
        for (index, document) in documents.enumerated() {
            if index > 0 { text += "\n" + String(repeating: "-", count: 60) + "\n\n" }
            text += section(document)
        }
        text += "\n-- \nSent by optoutd. Record completed steps with `optoutd ack`.\n"
        return text
    }

    private static func section(_ document: NoticeDocument) -> String {
        let account = document.account
        let policy = document.policy
        var text = document.message + "\n\n"
        text +=
            "Account:   \(account.name.map { "\($0) (\(account.id))" } ?? account.id), \(account.platform), \(account.region)\n"
        text += "Change:    \(policy.title)\n"
        text += "Effective: \(policy.effective)\n"
        let deadline = "before \(longDate(policy.deadline)), 00:00 \(account.timezone)"
        switch document.daysLeft {
        case _ where policy.informational == true:
            text += "Opt-out:   none offered\n"
        case 1...:
            text += "Deadline:  \(deadline) (\(document.daysLeft) day\(document.daysLeft == 1 ? "" : "s") left)\n"
        case 0: text += "Deadline:  \(deadline) (today)\n"
        default:
            text +=
                "Deadline:  \(deadline) (passed \(-document.daysLeft) day\(document.daysLeft == -1 ? "" : "s") ago)\n"
        }
        if !policy.summary.isEmpty { text += "\n" + policy.summary + "\n" }
        if !policy.dataUsed.isEmpty { text += "\nData used:\n" + policy.dataUsed.map { "  - \($0)\n" }.joined() }
        if !policy.dataNotUsed.isEmpty {
            text += "\nData not used:\n" + policy.dataNotUsed.map { "  - \($0)\n" }.joined()
        }
        if !policy.sharedWith.isEmpty { text += "\nShared with: \(policy.sharedWith.joined(separator: ", "))\n" }
        if policy.informational == true {
            text += "\nThis change offers no way to opt out: this notice is for your information.\n"
        } else if document.pending.isEmpty {
            text += "\nNothing is left to do.\n"
        } else {
            text += "\nWhat to do:\n"
            for (number, action) in document.pending.enumerated() {
                text += "  \(number + 1). \(action.title)\n     Where: \(action.location)\n"
                if let url = action.url { text += "     Link:  \(url)\n" }
            }
            text += "\nWhen done: optoutd ack \(account.id) \(policy.id)\n"
        }
        if !policy.sources.isEmpty { text += "\nSources:\n" + policy.sources.map { "  - \($0)\n" }.joined() }
        return text
    }

    /// `3 November 2025` from `2025-11-03`.
    static func longDate(_ iso: String) -> String {
        guard let date = CivilDate(iso: iso) else { return iso }
        let (year, month, day) = date.components
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November",
            "December",
        ]
        return "\(day) \(months[month - 1]) \(year)"
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
