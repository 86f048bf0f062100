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
        if let node = fields["give_up_after"],
            let interval = yaml.parsed(
                node, "give_up_after", as: "a duration such as 7d or 12h", ReminderInterval.init(parsing:))
        {
            switch interval {
            case .days(let days): channels.giveUpAfterSeconds = days * 86_400
            case .hours(let hours): channels.giveUpAfterSeconds = hours * 3600
            }
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
            "tls_ca_file",
        ]
        guard let fields = yaml.fields(node, "channels.email", allowed: keys, required: ["from", "transport"]) else {
            return nil
        }
        let from = fields["from"].flatMap { yaml.string($0, "from") }
        if let from, !isMailbox(from.value) {
            log.error(
                "from must be an address such as 'optoutd <privacy@example.org>' or 'privacy@example.org'",
                at: from.location)
        }
        let transport = fields["transport"].flatMap { node in
            yaml.parsed(
                node, "transport", as: "smtp://HOST[:PORT], smtps://HOST[:PORT] or sendmail:/PATH", mailTransport)
        }
        let startTLS = fields["starttls"].flatMap { node in
            yaml.parsed(node, "starttls", as: "required, opportunistic or off") { StartTLSPolicy(rawValue: $0) }
        }
        let username = fields["username"].flatMap { yaml.string($0, "username") }
        let password = fields["password_credential"].flatMap { credentialName($0, "password_credential") }
        let toOwner = fields["to_owner"].flatMap { yaml.bool($0, "to_owner") }
        let cc = fields["cc"].flatMap { yaml.strings($0, "cc") } ?? []
        for address in cc where !isAddress(address.value) {
            log.error("'\(address.value)' is not a mail address", at: address.location)
        }
        let digest = fields["digest"].flatMap { node in
            yaml.parsed(node, "digest", as: "none or daily") { DigestMode(rawValue: $0) }
        }
        let events = fields["events"].flatMap { yaml.events($0, "events") }
        let caFile = fields["tls_ca_file"].flatMap { node in
            yaml.parsed(node, "tls_ca_file", as: "an absolute path") { $0.hasPrefix("/") ? $0 : nil }
        }
        guard let from, let transport else { return nil }
        return EmailSettings(
            from: from.value, transport: transport, startTLS: startTLS ?? .opportunistic, username: username?.value,
            passwordCredential: password, toOwner: toOwner ?? true, cc: cc.map(\.value), digest: digest ?? .none,
            events: events ?? Set(EventKind.allCases), tlsCAFile: caFile)
    }

    private func hook(_ node: YAMLNode) -> Located<HookSettings>? {
        guard
            let fields = yaml.fields(
                node, "a hook", allowed: ["name", "command", "events", "timeout"], required: ["name", "command"])
        else { return nil }
        let name = fields["name"].flatMap(channelName)
        let command = fields["command"].flatMap { yaml.strings($0, "command") }
        if let command, let program = command.first, !program.value.hasPrefix("/") {
            log.error(
                "the hook's program must be an absolute path (it is run directly, never through a shell)",
                at: program.location)
        } else if let node = fields["command"], command?.isEmpty == true {
            yaml.error("command needs at least the program to run", at: node)
        }
        let events = fields["events"].flatMap { yaml.events($0, "events") }
        let timeout = fields["timeout"].flatMap(timeoutSeconds)
        guard let name, let command, !command.isEmpty else { return nil }
        let hook = HookSettings(
            name: name.value, command: command.map(\.value), events: events ?? Set(EventKind.allCases),
            timeoutSeconds: timeout ?? 30)
        return Located(value: hook, location: name.location)
    }

    private func webhook(_ node: YAMLNode) -> Located<WebhookSettings>? {
        guard
            let fields = yaml.fields(
                node, "a webhook", allowed: ["name", "url", "events", "headers", "timeout"], required: ["name", "url"])
        else { return nil }
        let name = fields["name"].flatMap(channelName)
        let url = fields["url"].flatMap { node in
            yaml.parsed(node, "url", as: "an http:// or https:// URL") { text in
                (text.hasPrefix("http://") || text.hasPrefix("https://")) && !text.contains(" ") ? text : nil
            }
        }
        let events = fields["events"].flatMap { yaml.events($0, "events") }
        let timeout = fields["timeout"].flatMap(timeoutSeconds)
        let headers = fields["headers"].flatMap { yaml.sequence($0, "headers") }?.compactMap { item -> WebhookHeader? in
            guard
                let header = yaml.fields(
                    item, "a header", allowed: ["name", "credential"], required: ["name", "credential"])
            else { return nil }
            let name = header["name"].flatMap { node in
                yaml.parsed(node, "the header name", as: "an HTTP header name") { isHeaderName($0) ? $0 : nil }
            }
            let credential = header["credential"].flatMap { credentialName($0, "credential") }
            guard let name, let credential else { return nil }
            return WebhookHeader(name: name, credential: credential)
        }
        guard let name, let url else { return nil }
        let webhook = WebhookSettings(
            name: name.value, url: url, events: events ?? Set(EventKind.allCases), headers: headers ?? [],
            timeoutSeconds: timeout ?? 30)
        return Located(value: webhook, location: name.location)
    }

    private func channelName(_ node: YAMLNode) -> Located<String>? {
        yaml.parsed(node, "the channel name", as: "letters, digits, '_' and '-'") { text in
            !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                ? Located(value: text, location: yaml.location(node)) : nil
        }
    }

    /// A file name in `$CREDENTIALS_DIRECTORY`.
    private func credentialName(_ node: YAMLNode, _ what: String) -> String? {
        yaml.parsed(node, what, as: "a credential name (a file name, no '/')") { text in
            !text.isEmpty && !text.contains("/") && text != "." && text != ".." ? text : nil
        }
    }

    /// `30s`, `5m`, `1h`.
    private func timeoutSeconds(_ node: YAMLNode) -> Int? {
        yaml.parsed(node, "timeout", as: "a duration such as 30s, 5m or 1h") { text in
            guard let unit = text.last, let count = Int(text.dropLast()), count > 0 else { return nil }
            switch unit {
            case "s": return count
            case "m": return count * 60
            case "h": return count * 3600
            default: return nil
            }
        }
    }

    private func mailTransport(_ text: String) -> MailTransport? {
        if text.hasPrefix("sendmail:") {
            let path = String(text.dropFirst("sendmail:".count))
            return path.hasPrefix("/") ? .sendmail(path: path) : nil
        }
        guard text.hasPrefix("smtp://") || text.hasPrefix("smtps://"), !text.contains(" "),
            text.split(separator: "/", omittingEmptySubsequences: false).count >= 3,
            !text.split(separator: "/", omittingEmptySubsequences: false)[2].isEmpty
        else { return nil }
        return .smtp(url: text)
    }
}

/// `local@domain`, with no spaces, control characters, angle brackets, commas or quotes.
func isAddress(_ text: String) -> Bool {
    var at = 0
    var length = 0
    var lastAt = -1
    for byte in text.utf8 {
        switch byte {
        case 0...0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "\\"):
            return false
        case UInt8(ascii: "@"):
            at += 1
            lastAt = length
        default: break
        }
        length += 1
    }
    return at == 1 && lastAt > 0 && lastAt < length - 1
}

/// `address` or `Display Name <address>`.
func isMailbox(_ text: String) -> Bool {
    guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else { return isAddress(text) }
    return isAddress(String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
}

/// An RFC 9110 token.
func isHeaderName(_ text: String) -> Bool {
    !text.isEmpty
        && text.unicodeScalars.allSatisfy {
            $0.isASCII
                && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                    || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0))
        }
}
