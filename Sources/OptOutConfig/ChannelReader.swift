import Foundation
import OptOutCore

/// Reads and validates the `channels:` section.
struct ChannelReader {
    let yaml: YAMLReader
    var log: DiagnosticLog { yaml.log }

    func channels(_ node: YAMLNode) -> ChannelSettings {
        var channels = ChannelSettings()
        guard let fields = yaml.fields(node, "channels", allowed: ["email", "hooks", "webhooks", "give_up_after"])
        else {
            return channels
        }
        if let node = fields["give_up_after"], let interval = yaml.interval(node, "give_up_after") {
            channels.giveUpAfterSeconds = interval.seconds
        }
        channels.email = fields["email"].flatMap(email)
        let hooks = fields["hooks"].flatMap { yaml.sequence($0, "hooks") }?.compactMap(hook) ?? []
        let webhooks = fields["webhooks"].flatMap { yaml.sequence($0, "webhooks") }?.compactMap(webhook) ?? []
        var used: [String: SourceLocation] = [:]
        for name in hooks.map({ Located(value: $0.value.name, location: $0.location) })
            + webhooks.map({ Located(value: $0.value.name, location: $0.location) })
        {
            if ["journal", "email"].contains(name.value) {
                log.error("'\(name.value)' is a built-in channel; choose another name", at: name.location)
            } else if let first = used[name.value] {
                log.error("channel name '\(name.value)' is already used at \(first)", at: name.location)
            }
            used[name.value] = name.location
        }
        channels.hooks = hooks.map(\.value)
        channels.webhooks = webhooks.map(\.value)
        return channels
    }

    private func email(_ node: YAMLNode) -> EmailSettings? {
        let keys = [
            "from", "transport", "starttls", "username", "password_credential", "to_owner", "cc", "digest", "events",
            "tls_ca_file", "report_to", "report_every",
        ]
        guard let fields = yaml.fields(node, "channels.email", allowed: keys, required: ["from", "transport"]) else {
            return nil
        }
        let from = fields["from"].flatMap { yaml.string($0, "from", maximumLength: ConfigurationLimits.nameLength) }
        if let from {
            if let address = mailboxAddress(from.value), let problem = addressProblem(address) {
                log.error(
                    "from: \(TerminalText.quoted(address)) \(problem); write an address such as 'optoutd <privacy@example.org>' or 'privacy@example.org'",
                    at: from.location)
            }
        }
        let transport = fields["transport"].flatMap(mailTransport)
        let startTLS = fields["starttls"].flatMap { node in
            yaml.parsed(node, "starttls", as: "required, opportunistic or off") { StartTLSPolicy(rawValue: $0) }
        }
        let username = fields["username"].flatMap { yaml.string($0, "username") }
        let password = fields["password_credential"].flatMap { yaml.credentialName($0, "password_credential") }
        let toOwner = fields["to_owner"].flatMap { yaml.bool($0, "to_owner") }
        let cc = fields["cc"].flatMap { yaml.strings($0, "cc", maximumCount: ConfigurationLimits.listLength) } ?? []
        for address in cc {
            if let problem = addressProblem(address.value) {
                log.error("\(TerminalText.quoted(address.value)) \(problem)", at: address.location)
            }
        }
        let digest = fields["digest"].flatMap { node in
            yaml.parsed(node, "digest", as: "none or daily") { DigestMode(rawValue: $0) }
        }
        let events = fields["events"].flatMap { yaml.events($0, "events") }
        let reportTo =
            fields["report_to"].flatMap { yaml.strings($0, "report_to", maximumCount: ConfigurationLimits.listLength) }
            ?? []
        for address in reportTo {
            if let problem = addressProblem(address.value) {
                log.error("\(TerminalText.quoted(address.value)) \(problem)", at: address.location)
            }
        }
        var reportEveryDays = 7
        if let node = fields["report_every"], let interval = yaml.interval(node, "report_every") {
            switch interval {
            case .days(let days): reportEveryDays = days
            case .hours: yaml.error("report_every must be whole days or weeks, such as 7d or 1w", at: node)
            }
        }
        let caFile = fields["tls_ca_file"].flatMap { node in
            yaml.parsed(node, "tls_ca_file", as: "an absolute path") { $0.hasPrefix("/") ? $0 : nil }
        }
        if let username, case .smtp(let url) = transport, url.hasPrefix("smtp://"), startTLS != .required,
            !Self.isLoopback(url)
        {
            log.warning(
                "username over smtp:// without starttls: required: the password may cross the network in clear; use starttls: required or smtps://",
                at: username.location)
        }
        guard let from, let transport else { return nil }
        return EmailSettings(
            from: from.value, transport: transport, startTLS: startTLS ?? .opportunistic, username: username?.value,
            passwordCredential: password, toOwner: toOwner ?? true, cc: cc.map(\.value), digest: digest ?? .none,
            events: events ?? Set(EventKind.allCases), tlsCAFile: caFile, reportTo: reportTo.map(\.value),
            reportEveryDays: reportEveryDays)
    }

    /// Whether an `smtp://` URL names this machine, where a password never leaves it.
    private static func isLoopback(_ url: String) -> Bool {
        let host = URLComponents(string: url)?.host?.lowercased() ?? ""
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    private func hook(_ node: YAMLNode) -> Located<HookSettings>? {
        guard
            let fields = yaml.fields(
                node, "a hook", allowed: ["name", "command", "events", "timeout"], required: ["name", "command"])
        else { return nil }
        let name = fields["name"].flatMap(channelName)
        let command = fields["command"].flatMap {
            yaml.strings($0, "command", maximumCount: ConfigurationLimits.listLength)
        }
        if let command, let program = command.first, !program.value.hasPrefix("/") {
            log.error(
                "the hook's program must be an absolute path (it is run directly, never through a shell)",
                at: program.location)
        } else if let node = fields["command"], command?.isEmpty == true {
            yaml.error("command needs at least the program to run", at: node)
        }
        let events = fields["events"].flatMap { yaml.events($0, "events") }
        let timeout = fields["timeout"].flatMap { yaml.seconds($0, "timeout", in: ConfigurationLimits.timeoutSeconds) }
        guard let name, let command, !command.isEmpty else { return nil }
        let hook = HookSettings(
            name: name.value, command: command.map(\.value), events: events ?? Set(EventKind.allCases),
            timeoutSeconds: timeout ?? 30)
        return Located(value: hook, location: name.location)
    }

    private func webhook(_ node: YAMLNode) -> Located<WebhookSettings>? {
        guard
            let fields = yaml.fields(
                node, "a webhook",
                allowed: ["name", "url", "events", "headers", "timeout", "format", "signing_secret_credential"],
                required: ["name", "url"])
        else { return nil }
        let format = fields["format"].flatMap { node in
            yaml.parsed(node, "format", as: "json, slack, mattermost or teams") { WebhookFormat(rawValue: $0) }
        }
        let signingSecret = fields["signing_secret_credential"].flatMap {
            yaml.credentialName($0, "signing_secret_credential")
        }
        let name = fields["name"].flatMap(channelName)
        let url = fields["url"].flatMap { yaml.checkedURL($0, "url", schemes: ["http", "https"]) }
        let events = fields["events"].flatMap { yaml.events($0, "events") }
        let timeout = fields["timeout"].flatMap { yaml.seconds($0, "timeout", in: ConfigurationLimits.timeoutSeconds) }
        let headers = fields["headers"].flatMap {
            yaml.sequence($0, "headers")?.prefix(ConfigurationLimits.listLength)
        }?.compactMap { item -> WebhookHeader? in
            guard
                let header = yaml.fields(
                    item, "a header", allowed: ["name", "credential"], required: ["name", "credential"])
            else { return nil }
            let name = header["name"].flatMap { node in
                yaml.parsed(node, "the header name", as: "an HTTP header name") { isHeaderName($0) ? $0 : nil }
            }
            let credential = header["credential"].flatMap { yaml.credentialName($0, "credential") }
            guard let name, let credential else { return nil }
            return WebhookHeader(name: name, credential: credential)
        }
        guard let name, let url else { return nil }
        let webhook = WebhookSettings(
            name: name.value, url: url, events: events ?? Set(EventKind.allCases), headers: headers ?? [],
            timeoutSeconds: timeout ?? 30, format: format ?? .json, signingSecretCredential: signingSecret)
        return Located(value: webhook, location: name.location)
    }

    private func channelName(_ node: YAMLNode) -> Located<String>? {
        yaml.parsed(node, "the channel name", as: "letters, digits, '_' and '-'") { text in
            !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                ? Located(value: text, location: yaml.location(node)) : nil
        }
    }

    private func mailTransport(_ node: YAMLNode) -> MailTransport? {
        guard let text = yaml.string(node, "transport") else { return nil }
        if text.value.hasPrefix("sendmail:") {
            let path = String(text.value.dropFirst("sendmail:".count))
            guard path.hasPrefix("/") else {
                yaml.error(
                    "transport: the sendmail program must be an absolute path, as in sendmail:/usr/sbin/sendmail",
                    at: node)
                return nil
            }
            return .sendmail(path: path)
        }
        return yaml.checkedURL(node, "transport", schemes: ["smtp", "smtps"]).map { .smtp(url: $0) }
    }

}
