/// The `messages:` section: how what people read is worded and signed.
public struct MessageSettings: Hashable, Sendable {
    /// The name shown as the sender, in place of the one in `channels.email.from`.
    public var fromName: String?
    /// Put before every subject, such as `[Privacy]`; none by default, since a tool's name
    /// in front of a subject makes a message look like phishing.
    public var subjectPrefix: String?
    /// Who to ask or tell when done: an address or a sentence.
    public var contact: String?
    /// Text closing every message, such as the team's name.
    public var footer: String?
    /// The language of accounts that name none, and of the copies to `cc`.
    public var language: String
    /// Template texts from the configuration directory that replace shipped ones, by
    /// `LANGUAGE/NAME` (such as `de/subject`), each with the path it was read from.
    public var templateOverrides: [String: TemplateText]

    public init(
        fromName: String? = nil, subjectPrefix: String? = nil, contact: String? = nil, footer: String? = nil,
        language: String = "en", templateOverrides: [String: TemplateText] = [:]
    ) {
        self.fromName = fromName
        self.subjectPrefix = subjectPrefix
        self.contact = contact
        self.footer = footer
        self.language = language
        self.templateOverrides = templateOverrides
    }

    /// `from` as a message names its sender: with `fromName` in place of its name, when set.
    public func sender(_ from: String) -> String {
        fromName.map { "\($0) <\(MailMessage.address(of: from))>" } ?? from
    }
}

/// The text of a template and where it came from, for messages about it.
public struct TemplateText: Hashable, Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
