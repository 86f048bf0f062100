import Crypto
import Foundation
import OptOutCore

/// Turns the notices due for one recipient into the mail they get: to a person, one
/// checklist of everything they are asked to do; to a copy address, a bounded summary.
/// Both come as plain text and HTML with the deadlines as a calendar attachment.
public struct MessageRenderer: Sendable {
    public let settings: MessageSettings
    private let templates: MessageTemplates

    public init(settings: MessageSettings) {
        self.settings = settings
        templates = MessageTemplates(overrides: settings.templateOverrides)
    }

    /// The default language: the configured one (checked when the configuration is read).
    var defaultLanguage: MessageLanguage { MessageLanguage(rawValue: settings.language) ?? .en }

    /// The language of a person's notices: the first account that names one, else the default.
    func language(of documents: [NoticeDocument]) -> MessageLanguage {
        documents.lazy.compactMap { $0.account.language.flatMap(MessageLanguage.init(rawValue:)) }.first
            ?? defaultLanguage
    }

    /// One message for everything due for the person at `recipient`.
    ///
    /// - Parameter standing: where the person stands beyond these notices (see `RecipientStanding`).
    public func checklist(
        _ documents: [NoticeDocument], to recipient: String, from: String, date: Instant, messageID: String,
        confirmURL: String? = nil, standing: RecipientStanding = RecipientStanding()
    ) -> MailMessage {
        let language = standing.language.flatMap(MessageLanguage.init(rawValue:)) ?? language(of: documents)
        var checklist = Checklist(documents, language: language, settings: settings, sentAt: date, standing: standing)
        checklist.confirmURL = confirmURL
        var byDeadline: [(date: CivilDate, actions: [Checklist.Action])] = []
        for action in checklist.actions {
            if let index = byDeadline.firstIndex(where: { $0.date == action.deadlineDate }) {
                byDeadline[index].actions.append(action)
            } else {
                byDeadline.append((action.deadlineDate, [action]))
            }
        }
        // A test asks for nothing, so it adds nothing to the person's calendar.
        let isTest = documents.contains(where: \.test)
        var events: [DeadlineCalendar.Event] =
            isTest
            ? []
            : byDeadline.map { deadline, actions in
                // The event of a day is the person's, not the message's: it keeps the steps
                // of their other accounts due that day, which this message does not list.
                let steps =
                    actions.map {
                        CalendarStep(
                            account: $0.account, platform: $0.platform, title: $0.title, location: $0.location,
                            url: $0.url)
                    }
                    + standing.otherSteps.filter { $0.deadline == deadline }.map {
                        CalendarStep(
                            account: $0.account, platform: PlatformName.display($0.platform), title: $0.action.title,
                            location: $0.action.location, url: $0.action.url)
                    }
                // Steps of several accounts on one day say whose they are.
                let accounts = unique(steps.map(\.account))
                return DeadlineCalendar.Event(
                    uid: Self.eventUID(deadline: deadline, recipient: recipient),
                    deadline: deadline,
                    summary: "\(language.lastDay): \(language.list(unique(steps.map(\.platform))))",
                    description: steps.map { step in
                        (accounts.count > 1 ? "\(step.account): " : "") + "\(step.title): \(step.location)"
                            + (step.url.map { " \($0)" } ?? "")
                    }.joined(separator: "\n"),
                    url: steps.lazy.compactMap(\.url).first)
            }
        // Steps told done: a day with nothing left on any account has its event cancelled.
        if !isTest, documents.contains(where: { $0.event == .optedOut }) {
            let published = Set(byDeadline.map(\.date))
            events += standing.finishedDays.filter { !published.contains($0) }.map { day in
                DeadlineCalendar.Event(
                    uid: Self.eventUID(deadline: day, recipient: recipient), deadline: day, summary: language.lastDay,
                    description: language.eventName(.optedOut), cancelled: true)
            }
        }
        var headers: [(name: String, value: String)] = [
            ("X-Optoutd-Event", documents.count == 1 ? documents[0].event.rawValue : "digest"),
            ("X-Optoutd-Account", unique(documents.map(\.account.id)).joined(separator: ", ")),
            ("X-Optoutd-Policy", unique(documents.map(\.policy.id)).joined(separator: ", ")),
        ]
        if isTest { headers.append(("X-Optoutd-Test", "yes")) }
        return mail(
            subject: templates.render(.subject, language, checklist),
            text: templates.render(.text, language, checklist),
            html: templates.render(.html, language, checklist), language: language, events: events, to: recipient,
            from: from, date: date, messageID: messageID, headers: headers)
    }

    /// A step as the calendar event of its day lists it.
    private struct CalendarStep {
        var account: String
        /// As the platform is written.
        var platform: String
        var title: String
        var location: String
        var url: String?
    }

    /// The copy for `recipient` (a `cc` address) of everything sent in one round, on the
    /// local date `day` (the round's, which late notices of earlier days may join).
    ///
    /// - Parameter manager: `recipient` is the manager of the accounts, and `documents` are
    ///   their escalations.
    public func summary(
        _ documents: [NoticeDocument], day: CivilDate, to recipient: String, from: String, date: Instant,
        messageID: String, manager: Bool = false
    ) -> MailMessage {
        let language = defaultLanguage
        let summary = Summary(documents, day: day, language: language, settings: settings, manager: manager)
        var byDeadline: [String: [NoticeDocument]] = [:]
        for document in documents where !document.pending.isEmpty {
            byDeadline[document.policy.deadline, default: []].append(document)
        }
        let isTest = documents.contains(where: \.test)
        let events =
            isTest
            ? []
            : byDeadline.sorted { $0.key < $1.key }.compactMap { deadline, documents in
                CivilDate(iso: deadline).map { date in
                    DeadlineCalendar.Event(
                        uid: Self.eventUID(deadline: date, recipient: (manager ? "manager:" : "summary:") + recipient),
                        deadline: date,
                        summary:
                            "\(language.lastDay): \(unique(documents.map(\.policy.title)).joined(separator: "; "))",
                        description: unique(documents.map(\.account.id)).prefix(Summary.rowLimit).joined(
                            separator: ", "),
                        url: documents.lazy.flatMap(\.pending).compactMap(\.url).first)
                }
            }
        return mail(
            subject: templates.render(.summarySubject, language, summary),
            text: templates.render(.summaryText, language, summary),
            html: templates.render(.summaryHTML, language, summary), language: language, events: events,
            to: recipient, from: from, date: date, messageID: messageID,
            headers: [("X-Optoutd-Event", "summary")] + (isTest ? [("X-Optoutd-Test", "yes")] : []))
    }

    private func mail(
        subject: String, text: String, html: String, language: MessageLanguage, events: [DeadlineCalendar.Event],
        to recipient: String, from: String, date: Instant, messageID: String,
        headers: [(name: String, value: String)]
    ) -> MailMessage {
        let sender = settings.sender(from)
        let calendar = DeadlineCalendar.text(events, name: language.lastDay, stamp: date)
        return MailMessage(
            from: sender, to: [recipient],
            subject: subject.split(whereSeparator: \.isNewline).joined(separator: " ")
                .trimmingCharacters(in: " "),
            date: date, messageID: messageID, extraHeaders: headers, body: text, html: html,
            attachments: events.isEmpty
                ? []
                : [
                    MailAttachment(
                        contentType: "text/calendar; charset=utf-8; method=PUBLISH", filename: "opt-out-deadlines.ics",
                        bytes: Array(calendar.utf8))
                ],
            language: language.rawValue)
    }

    /// One event per deadline and person, the same in every message: a later message (a
    /// step done, an account added) updates the event in the calendar instead of adding
    /// another. The address is hashed: it need not show in the calendar.
    static func eventUID(deadline: CivilDate, recipient: String) -> String {
        let digest = SHA256.hash(data: Data(recipient.lowercased().utf8))
        return "\(deadline.basicFormat)-" + digest.prefix(8).hexadecimal + "@optoutd"
    }

    private func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
