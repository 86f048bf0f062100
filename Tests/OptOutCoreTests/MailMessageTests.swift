import Testing

@testable import OptOutCore

@Suite struct MailMessageTests {
    func message(from: String = "optoutd <privacy@example.org>", subject: String = "Hello", body: String = "Hi\n")
        -> MailMessage
    {
        MailMessage(
            from: from, to: ["alice@example.org"], cc: ["Team Ünïcode <team@example.org>"], subject: subject,
            date: Instant(secondsSince1970: 1_795_955_413), messageID: "id-1@example.org",
            extraHeaders: [("X-Optoutd-Account", "alice")], body: body)
    }

    var headerLines: [String] {
        let text = String(decoding: message(subject: "Ärger mit Datenschutz für Søren").rendered, as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
    }

    @Test func headersAreASCIIAndEncodedPerRFC2047() {
        let lines = headerLines
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) && $0.utf8.count <= 78 })
        #expect(lines.contains("From: optoutd <privacy@example.org>"))
        #expect(lines.contains("To: alice@example.org"))
        #expect(lines.contains("Cc: =?utf-8?B?VGVhbSDDnG7Dr2NvZGU=?= <team@example.org>"))
        #expect(lines.contains("Subject: =?utf-8?B?w4RyZ2Vy?= mit Datenschutz =?utf-8?B?ZsO8ciBTw7hyZW4=?="))
        #expect(lines.contains("Date: Sun, 29 Nov 2026 12:30:13 +0000"))
        #expect(lines.contains("Message-ID: <id-1@example.org>"))
        #expect(lines.contains("Auto-Submitted: auto-generated"))
        #expect(lines.contains("X-Optoutd-Account: alice"))
    }

    @Test func lineBreaksNeverStartANewHeader() {
        let hostile = message(
            from: "Eve\r\nBcc: victim@example.org <eve@example.org>", subject: "Hi\r\nBcc: victim@example.org")
        let head = String(decoding: hostile.rendered, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        #expect(!head.components(separatedBy: "\r\n").contains { $0.hasPrefix("Bcc:") })
        #expect(hostile.recipients == ["alice@example.org", "team@example.org"])
        #expect(hostile.envelopeFrom == "eve@example.org")
        // Nor does NEL or a line separator, which some readers take for a line break.
        for separator in ["\u{85}", "\u{2028}"] {
            let sneaky = MailMessage(
                from: "privacy@example.org", to: ["alice@example.org\(separator)Bcc: victim@example.org"],
                subject: "Hi", date: Instant(secondsSince1970: 0), messageID: "id\(separator)X-Evil: 1@example.org",
                body: "Hi\n")
            #expect(sneaky.recipients.allSatisfy { !$0.unicodeScalars.contains(separator.unicodeScalars.first!) })
            let text = String(decoding: sneaky.rendered, as: UTF8.self)
            #expect(
                !text.unicodeScalars.contains(separator.unicodeScalars.first!), "\(separator.unicodeScalars.first!)")
        }
    }

    @Test func theBodyIsQuotedPrintableWithCRLF() {
        let long = String(repeating: "x", count: 100)
        let text = String(decoding: message(body: "Grüße = gut \nend\n\(long)\n").rendered, as: UTF8.self)
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(body.hasPrefix("Gr=C3=BC=C3=9Fe =3D gut=20\r\nend\r\n"))
        #expect(body.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(body.contains("=\r\n"))  // the long line got a soft break
        #expect(!body.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func longASCIIHeadersAreFolded() {
        let folded = MailMessage.fold("Subject: " + Array(repeating: "word", count: 30).joined(separator: " "))
        #expect(folded.components(separatedBy: "\r\n").count == 3)
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(folded.components(separatedBy: "\r\n")[1].hasPrefix(" word"))
    }
}

@Suite struct MailHeaderLengthTests {
    /// A 3,000-character name with no space in it made a 3,000-octet Subject line, which
    /// servers refuse (and which was then retried for days).
    @Test(arguments: [String(repeating: "x", count: 3000), String(repeating: "é", count: 1500)])
    func noHeaderLineIsLongerThanServersTake(name: String) {
        let message = MailMessage(
            from: "optoutd <privacy@example.org>", to: ["\(name) <alice@example.org>"],
            subject: "[optoutd] policy applies to \(name)", date: Instant(secondsSince1970: 0),
            messageID: "id@example.org", body: "Hi\n")
        let text = String(decoding: message.rendered, as: UTF8.self)
        let headers = text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(headers.allSatisfy { $0.utf8.count <= 998 })
        #expect(headers.allSatisfy { $0.utf8.count <= 78 })
        #expect(headers.contains { $0 == "Subject: [optoutd] policy applies to" })
        #expect(headers.contains { $0.hasPrefix(" =?utf-8?B?") })
    }
}

@Suite struct MultipartMailTests {
    let message = MailMessage(
        from: "optoutd <privacy@example.org>", to: ["alice@example.org"], subject: "Hello",
        date: Instant(secondsSince1970: 0), messageID: "id@example.org", body: "Grüße\n",
        html: "<p>Gr&uuml;&szlig;e</p>\n",
        attachments: [
            MailAttachment(
                contentType: "text/calendar; charset=utf-8; method=PUBLISH", filename: "deadlines.ics",
                bytes: Array(String(repeating: "BEGIN:VCALENDAR\r\n", count: 10).utf8))
        ], language: "de")

    var text: String { String(decoding: message.rendered, as: UTF8.self) }

    @Test func textAndHTMLAreAlternativesAndTheCalendarIsAnAttachment() {
        let head = text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(head.contains("Content-Language: de"))
        #expect(head.contains("Content-Type: multipart/mixed; boundary=\"=_optoutd-mixed\""))
        #expect(
            text.contains(
                "--=_optoutd-mixed\r\nContent-Type: multipart/alternative; boundary=\"=_optoutd-alternative\""))
        #expect(text.contains("--=_optoutd-alternative\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(text.contains("--=_optoutd-alternative\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(text.contains("--=_optoutd-alternative--\r\n"))
        #expect(text.hasSuffix("--=_optoutd-mixed--\r\n"))
        #expect(
            text.contains(
                "Content-Disposition: attachment; filename=\"deadlines.ics\"\r\nContent-Transfer-Encoding: base64\r\n"))
    }

    @Test func everyLineFitsAndNoContentLineLooksLikeABoundary() {
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        let boundaries = lines.filter { $0.hasPrefix("--=_optoutd-") }
        #expect(boundaries.count == 6)  // per level: a line before each of its two parts, and its close
    }
}
