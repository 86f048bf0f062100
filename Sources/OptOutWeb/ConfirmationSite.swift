import Crypto
import Foundation
import Logging
import NIOHTTP1
import OptOutCore
import OptOutDaemon
import OptOutRender

/// What `optoutd serve` answers: the confirmation pages behind `/c/TOKEN`, `/healthz` and
/// `/metrics`. Plain synchronous code: the server runs it on its thread pool, since reading
/// and writing the store blocks.
public final class ConfirmationSite: Sendable {
    let configuration: Configuration
    let links: ConfirmationLinks
    let store: StateStore
    let pages: ConfirmationPages
    let logger: Logger
    let clock: @Sendable () -> Instant
    let metricsCache = MetricsCache(lifetime: 10)
    let accountsByAddress: AccountsByAddress

    public init(
        configuration: Configuration, links: ConfirmationLinks, store: StateStore, logger: Logger,
        clock: @escaping @Sendable () -> Instant
    ) {
        self.configuration = configuration
        accountsByAddress = AccountsByAddress(configuration)
        self.links = links
        self.store = store
        self.pages = ConfirmationPages(settings: configuration.messages)
        self.logger = logger
        self.clock = clock
    }

    /// The origin a form must come from: the one of `web.base_url`.
    public var origin: String { links.settings.origin }

    public func respond(to request: WebRequest) -> WebResponse {
        // HEAD is GET without the body (the server leaves it out): what uptime checks send.
        let method = request.method == .HEAD ? .GET : request.method
        switch (method, request.path) {
        case (.GET, "/healthz"):
            return .text(.ok, "ok\n")
        case (.GET, "/metrics"):
            return metrics()
        case (.GET, _) where request.path.hasPrefix("/c/"), (.POST, _) where request.path.hasPrefix("/c/"):
            return confirmation(request, token: String(request.path.dropFirst(3)))
        case (.GET, _), (.POST, _):
            return .html(.notFound, pages.problem(.unknown))
        default:
            var response = WebResponse.text(.methodNotAllowed, "only GET, HEAD and POST\n")
            response.headers.append(("Allow", "GET, HEAD, POST"))
            return response
        }
    }

    private func confirmation(_ request: WebRequest, token text: String) -> WebResponse {
        let now = clock()
        let fingerprint = LinkToken.fingerprint(text)
        let token: LinkToken
        do {
            token = try links.open(text, now: now)
        } catch .expired {
            // Genuine, so its accounts are known: the page speaks their language.
            let person = (try? links.open(text, now: .distantPast)).map { self.person(of: $0) } ?? []
            return .html(.gone, pages.problem(.expired, language: pages.language(of: person)))
        } catch {
            return .html(.notFound, pages.problem(.unknown))
        }
        let accounts = accounts(of: token)
        guard !accounts.isEmpty else { return .html(.notFound, pages.problem(.unknown)) }
        let person = self.person(of: token)
        // Checked for a genuine link only: anyone can send forms with a made-up link, and
        // each would otherwise be a warning in the journal.
        if request.method == .POST, Self.isCrossSite(request.headers, origin: origin) {
            // What was seen, beside what base_url expects: a scheme or port that differs is
            // the usual cause, and the operator needs both to see it (the sender chose what
            // was seen: it is quoted, and shortened).
            let seen =
                request.headers.first(name: "sec-fetch-site").map { "Sec-Fetch-Site \(TerminalText.quoted($0))" }
                ?? "Origin \(TerminalText.quoted(request.headers.first(name: "origin") ?? ""))"
            logger.warning(
                "refused a form sent from another site (\(seen); base_url's origin is \(origin))",
                metadata: ["link": "\(fingerprint)"])
            return .html(.forbidden, pages.problem(.crossSite))
        }
        // As the browser sees it: under base_url's path, which a proxy in front takes away.
        let formAction = links.settings.path + "/c/" + text
        do {
            var checklist = try self.checklist(of: accounts)
            var recorded: [String]?
            var alreadyDone: [String] = []
            var returned: ConfirmationPages.Returned?
            if request.method == .POST {
                let language = pages.language(of: person)
                let form = FormBody(request.body)
                let note = form?.values("note").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                if let form, let note, AcknowledgementRequest.problem(withNote: note) != nil {
                    // Nothing is recorded; the page says why and gives back what can be kept
                    // of the note, with the ticks, to be sent again.
                    logger.notice("refused a note that cannot be recorded", metadata: ["link": "\(fingerprint)"])
                    let returned = ConfirmationPages.Returned(
                        note: AcknowledgementRequest.keepable(note), ticked: form.values("done"), noteRefused: true)
                    return .html(
                        .badRequest,
                        pages.checklist(
                            checklist, person: person, formAction: formAction, recorded: nil, returned: returned,
                            now: now))
                }
                guard let form, let submission = submission(form, note: note, checklist) else {
                    logger.warning(
                        "refused a form that is malformed or names steps its link does not cover",
                        metadata: ["link": "\(fingerprint)"])
                    return .html(.badRequest, pages.problem(.rejected, language: language, back: formAction))
                }
                // The store records what still stands open; what another tab or an `ack`
                // recorded meanwhile is said to be done already.
                var written: [String] = []
                if !submission.requests.isEmpty {
                    written = try store.acknowledge(
                        submission.requests, note: submission.note, source: "link", at: now,
                        catalog: self.configuration.catalog
                    ).recorded.flatMap { request in request.actions.map { "\(request.account.id):\($0)" } }
                    checklist = try self.checklist(of: accounts)
                }
                if !written.isEmpty {
                    logger.notice(
                        "recorded \(written.count) step\(written.count == 1 ? "" : "s") confirmed by link",
                        metadata: [
                            "link": "\(fingerprint)",
                            "accounts": "\(submission.requests.map(\.account.id).joined(separator: ","))",
                        ])
                }
                recorded = written
                alreadyDone = submission.alreadyDone + submission.values.filter { !written.contains($0) }
                // A note is kept only with the steps it is about: kept with none, it goes back
                // into its box.
                if written.isEmpty, let note, !note.isEmpty {
                    returned = ConfirmationPages.Returned(note: note, ticked: [], noteRefused: false)
                }
            }
            return .html(
                .ok,
                pages.checklist(
                    checklist, person: person, formAction: formAction, recorded: recorded, alreadyDone: alreadyDone,
                    returned: returned, now: now))
        } catch {
            logger.error("the state store cannot be used: \(error)", metadata: ["link": "\(fingerprint)"])
            var response = WebResponse.html(
                .serviceUnavailable, pages.problem(.unavailable, language: pages.language(of: person)))
            response.headers.append(("Retry-After", "120"))
            return response
        }
    }

    /// The configured accounts a link covers; those removed since it was made are left out.
    private func accounts(of token: LinkToken) -> [Account] {
        switch token.scope {
        case .accounts(let ids): ids.compactMap { configuration.account(id: $0) }
        case .allOfRecipient: accountsByAddress.accounts(of: token.recipient)
        }
    }

    /// The person a link is for: every account with its address, in the configuration's
    /// order (else the link's own). The page speaks their language and greets them by name
    /// as their mail does, whichever of their accounts the link covers.
    private func person(of token: LinkToken) -> [Account] {
        let all = accountsByAddress.accounts(of: token.recipient)
        return all.isEmpty ? accounts(of: token) : all
    }

    /// What is asked of `accounts` as the store has it now.
    private func checklist(of accounts: [Account]) throws -> [AccountActions] {
        let standing = try store.standingAcknowledgements(of: accounts, catalog: configuration.catalog)
        return accounts.map {
            AccountActions(account: $0, catalog: configuration.catalog, standing: standing[$0.id] ?? [:])
        }
    }

    /// The checked steps that are not done yet, by account, and the note; `nil` when a value
    /// is malformed or names a step the link does not cover (then nothing is recorded).
    /// A form read against the checklist it was sent from.
    private struct Submission {
        /// The steps ticked that are open, per account.
        var requests: [AcknowledgementRequest]
        /// The same as `ACCOUNT:ACTION` values.
        var values: [String]
        /// The steps ticked that were done already when the form came.
        var alreadyDone: [String]
        /// An empty note is no note.
        var note: String?
    }

    private func submission(_ form: FormBody, note: String?, _ checklist: [AccountActions]) -> Submission? {
        var byAccount: [(account: Account, actions: [String])] = []
        var values: [String] = []
        var alreadyDone: [String] = []
        for value in form.values("done") {
            guard let colon = value.firstIndex(of: ":"),
                let entry = checklist.first(where: { $0.account.id == value[..<colon] })
            else { return nil }
            let account = entry.account
            let action = String(value[value.index(after: colon)...])
            guard let item = entry.items.first(where: { $0.action.id == action }) else { return nil }
            guard !values.contains(value), !alreadyDone.contains(value) else { continue }
            guard !item.isDone else {
                alreadyDone.append(value)
                continue
            }
            values.append(value)
            if let index = byAccount.firstIndex(where: { $0.account === account }) {
                byAccount[index].actions.append(action)
            } else {
                byAccount.append((account, [action]))
            }
        }
        var requests: [AcknowledgementRequest] = []
        for (account, actions) in byAccount {
            guard
                let request = try? AcknowledgementRequest(
                    account: account, items: actions, catalog: configuration.catalog)
            else { return nil }
            requests.append(request)
        }
        return Submission(
            requests: requests, values: values, alreadyDone: alreadyDone, note: note?.isEmpty == false ? note : nil)
    }

    /// Whether the browser says the form came from another site. `Sec-Fetch-Site` decides
    /// where a browser sends it (`none` is a visit the person started themselves); without
    /// it, an `Origin` must match `base_url` (the pages' `same-origin` referrer policy has
    /// browsers send it with their own forms).
    static func isCrossSite(_ headers: HTTPHeaders, origin: String) -> Bool {
        if let site = headers.first(name: "sec-fetch-site") { return site != "same-origin" && site != "none" }
        if let sent = headers.first(name: "origin") { return sent != origin }
        return false
    }

    private func metrics() -> WebResponse {
        do {
            let now = clock()
            let bytes = try metricsCache.body(at: now) {
                let report = ComplianceReport(
                    configuration: configuration, records: try store.acknowledgements(),
                    firstSeen: try store.firstSightings(), at: now)
                return ComplianceMetrics.exposition(
                    of: report, counts: try store.counts(), channels: configuration.channels)
            }
            return WebResponse(.ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: bytes)
        } catch {
            logger.error("metrics cannot be read from the state store: \(error)")
            return .text(.serviceUnavailable, "the state store cannot be read\n")
        }
    }
}
