/// An RFC 5322 message in UTF-8, with headers made safe: every value is kept on one line
/// (CR and LF become spaces), non-ASCII text in headers is encoded per RFC 2047, and text
/// goes out quoted-printable with CRLF line ends. With an HTML part the text is the
/// plain alternative of it (multipart/alternative); attachments make it multipart/mixed.
public struct MailMessage: Sendable, Equatable {
    /// `Name <address>` or `address`, as configured.
    public var from: String
    public var to: [String]
    public var cc: [String]
    public var subject: String
    public var date: Instant
    /// Without angle brackets, such as `1234@example.org`.
    public var messageID: String
    /// Extra headers, such as `X-Optoutd-Event`.
    public var extraHeaders: [(name: String, value: String)]
    /// The plain text.
    public var body: String
    /// The same content as HTML, when there is an HTML part.
    public var html: String?
    /// Files sent with the message, such as a calendar.
    public var attachments: [MailAttachment]
    /// The `Content-Language` of the text, such as `de`.
    public var language: String?

    public init(
        from: String, to: [String], cc: [String] = [], subject: String, date: Instant, messageID: String,
        extraHeaders: [(name: String, value: String)] = [], body: String, html: String? = nil,
        attachments: [MailAttachment] = [], language: String? = nil
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.extraHeaders = extraHeaders
        self.body = body
        self.html = html
        self.attachments = attachments
        self.language = language
    }

    public static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.rendered == rhs.rendered
    }

    /// The address of the sender, for the SMTP envelope.
    public var envelopeFrom: String { Self.address(of: from) }

    /// Everyone the message goes to, for the SMTP envelope.
    public var recipients: [String] { (to + cc).map(Self.address(of:)) }

    /// The message as sent: headers, a blank line, the encoded body, CRLF line ends.
    public var rendered: [UInt8] {
        var headers: [(String, String)] = [
            ("From", Self.mailbox(from)),
            ("To", to.map(Self.mailbox).joined(separator: ", ")),
        ]
        if !cc.isEmpty { headers.append(("Cc", cc.map(Self.mailbox).joined(separator: ", "))) }
        headers += [
            ("Subject", Self.encodedText(subject)),
            ("Date", Self.rfc5322Date(date)),
            ("Message-ID", "<\(Self.singleLine(messageID))>"),
            ("MIME-Version", "1.0"),
        ]
        if let language { headers.append(("Content-Language", Self.singleLine(language))) }
        headers.append(("Auto-Submitted", "auto-generated"))
        headers += extraHeaders.map { ($0.name, Self.encodedText($0.value)) }
        var text = ""
        for (name, value) in headers { text += Self.fold("\(name): \(value)") + "\r\n" }
        return Array((text + content).utf8)
    }

    /// The content headers, a blank line and the encoded content: one text part, or parts
    /// between boundaries. A boundary starts with `=_`, which neither quoted-printable nor
    /// base64 ever writes, so no content can end a part early.
    private var content: String {
        func part(_ type: String, _ text: String) -> String {
            "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + Self.quotedPrintable(text)
        }
        func multipart(_ subtype: String, _ parts: [String]) -> String {
            let boundary = "=_optoutd-\(subtype)"
            return "Content-Type: multipart/\(subtype); boundary=\"\(boundary)\"\r\n\r\n"
                + parts.map { "--\(boundary)\r\n\($0)" }.joined(separator: "\r\n") + "\r\n--\(boundary)--\r\n"
        }
        var text = part("text/plain", body)
        if let html { text = multipart("alternative", [text, part("text/html", html)]) }
        guard !attachments.isEmpty else { return text }
        return multipart("mixed", [text] + attachments.map(\.part))
    }

    // MARK: Encoding

    /// CR, LF and every other scalar that may not stand in one line (`TerminalText.isUnsafe`:
    /// C1 controls such as NEL, the line separators, invisible ones) become spaces: a value
    /// cannot start a new header, whatever reads it. The configuration refuses them already;
    /// this holds for values from anywhere else too.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { TerminalText.isUnsafe($0) ? " " : $0 }))
    }

    /// The address inside `Name <address>`, or the whole text.
    public static func address(of mailbox: String) -> String {
        let clean = singleLine(mailbox)
        guard clean.hasSuffix(">"), let open = clean.lastIndex(of: "<") else {
            return clean.trimmingSpaces
        }
        return String(clean[clean.index(after: open)..<clean.index(before: clean.endIndex)]).trimmingSpaces
    }

    /// `Name <address>` with the name encoded when it is not plain ASCII.
    static func mailbox(_ mailbox: String) -> String {
        let clean = singleLine(mailbox)
        guard clean.hasSuffix(">"), let open = clean.lastIndex(of: "<") else { return address(of: clean) }
        let name = String(clean[..<open]).trimmingSpaces.trimmingQuotes
        guard !name.isEmpty else { return "<\(address(of: clean))>" }
        let isPlain = name.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value >= 0x20 && !"\"\\()<>[]:;@,.".unicodeScalars.contains($0)
        }
        // A name with a word too long for a folded line goes as encoded words, which can be cut.
        let fitsALine = !name.split(separator: " ").contains { $0.utf8.count > 70 }
        let displayed =
            isPlain && fitsALine
            ? name
            : name.unicodeScalars.allSatisfy(\.isASCII) && fitsALine
                ? "\"\(name.replacingQuotes)\"" : encodedWords(name)
        return "\(displayed) <\(address(of: clean))>"
    }

    /// Header text: ASCII words as they are, each run of other words as RFC 2047 encoded
    /// words (a run keeps its inner spaces, which decoders drop between encoded words).
    static func encodedText(_ text: String) -> String {
        var pieces: [String] = []
        var run: [Substring] = []
        func flush() {
            if !run.isEmpty { pieces.append(encodedWords(run.joined(separator: " "))) }
            run = []
        }
        for word in singleLine(text).split(separator: " ", omittingEmptySubsequences: false) {
            // A word too long for a folded line is encoded too: encoded words can be cut, so
            // no header line grows past what servers take (998 octets), however long the name.
            if word.unicodeScalars.allSatisfy(\.isASCII) && !word.hasPrefix("=?") && word.utf8.count <= 70 {
                flush()
                pieces.append(String(word))
            } else {
                run.append(word)
            }
        }
        flush()
        return pieces.joined(separator: " ")
    }

    /// `=?utf-8?B?…?=` words of at most 75 characters, never splitting a character.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if (chunk.count + bytes.count + 2) / 3 * 4 > 75 - 12 {
                words.append("=?utf-8?B?\(base64(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?\(base64(chunk))?=") }
        return words.joined(separator: " ")
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                output.append(
                    position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Folds a header line longer than 78 characters at spaces (RFC 5322 §2.2.3).
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 78 else { return line }
        var result = ""
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty, current.utf8.count + 1 + word.utf8.count > 78 {
                result += current + "\r\n"
                current = " " + word
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        return result + current
    }

    /// Quoted-printable (RFC 2045): lines of at most 76 characters, CRLF line ends.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded: [UInt8] = []
            var lineLength = 0
            let bytes = Array(line.utf8).filter { $0 != UInt8(ascii: "\r") }
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || (byte == 32 && !isLast)
                let piece: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                if lineLength + piece.count > 75 {
                    encoded += Array("=\r\n".utf8)
                    lineLength = 0
                }
                encoded += piece
                lineLength += piece.count
            }
            output += String(decoding: encoded, as: UTF8.self) + "\r\n"
        }
        return output
    }

    /// `Sun, 29 Nov 2026 14:30:13 +0000`.
    static func rfc5322Date(_ instant: Instant) -> String {
        let days = instant.secondsSince1970.floorDivided(by: 86_400)
        let second = instant.secondsSince1970 - days * 86_400
        let (year, month, day) = CivilDate(dayNumber: days).components
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
        return
            "\(weekday), \(day) \(monthName) \(year) \(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2)) +0000"
    }
}

/// A file sent with a message, base64 in lines of 76 characters.
public struct MailAttachment: Sendable, Equatable {
    /// Such as `text/calendar; charset=utf-8; method=PUBLISH`.
    public var contentType: String
    /// A plain file name (letters, digits, `.`, `-`, `_`).
    public var filename: String
    public var bytes: [UInt8]

    public init(contentType: String, filename: String, bytes: [UInt8]) {
        self.contentType = contentType
        self.filename = filename
        self.bytes = bytes
    }

    var part: String {
        let name = MailMessage.singleLine(filename).filter { $0.isASCII && $0 != "\"" && $0 != "\\" }
        let encoded = Array(MailMessage.base64(bytes).utf8)
        let lines = stride(from: 0, to: encoded.count, by: 76).map { start in
            String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self)
        }
        return MailMessage.fold("Content-Type: \(MailMessage.singleLine(contentType)); name=\"\(name)\"") + "\r\n"
            + "Content-Disposition: attachment; filename=\"\(name)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + lines.map { $0 + "\r\n" }.joined()
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    fileprivate var trimmingQuotes: String {
        hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self
    }

    fileprivate var replacingQuotes: String {
        replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
    }
}
