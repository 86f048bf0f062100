import Foundation
import OptOutCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A daemon fixture with a mailbox that the test SMTP server (or a sendmail) fills, and
/// the messages in it as Python's email package reads them.
struct MailFixture {
    let fixture: DaemonFixture
    let mailbox: URL

    init() throws {
        fixture = try DaemonFixture()
        mailbox = try fixture.subdirectory("mailbox")
    }

    /// A real SMTP server (aiosmtpd) that keeps what it receives in `mailbox`.
    func server() throws -> LocalServer {
        try LocalServer(script: "smtp_server.py", [mailbox.path])
    }

    /// The messages received so far, each parsed by Python's email package, with its envelope.
    func messages() throws -> [(mail: [String: Any], envelope: [String: Any])] {
        try Self.messages(in: mailbox)
    }

    /// The messages in `mailbox`, parsed, each with its envelope.
    static func messages(in mailbox: URL) throws -> [(mail: [String: Any], envelope: [String: Any])] {
        try FileManager.default.contentsOfDirectory(atPath: mailbox.path).filter { $0.hasSuffix(".eml") }.sorted().map {
            name in
            let parsed = try Optoutd.runTool(
                "/usr/bin/python3",
                [
                    Optoutd.repository.appendingPathComponent("Tests/support/parse_mail.py").path,
                    mailbox.appendingPathComponent(name).path,
                ])
            let mail = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as! [String: Any]
            let envelope =
                try JSONSerialization.jsonObject(
                    with: Data(
                        contentsOf: mailbox.appendingPathComponent(name.replacingOccurrences(of: ".eml", with: ".json"))
                    )) as! [String: Any]
            return (mail, envelope)
        }
    }

    /// The received messages by their one envelope recipient.
    func byRecipient() throws -> [String: [String: Any]] {
        Dictionary(
            try messages().map { (($0.envelope["rcpt_tos"] as? [String])?.first ?? "", $0.mail) },
            uniquingKeysWith: { first, _ in first })
    }
}

/// E-mail through a real SMTP server (python3-aiosmtpd) on loopback, and through sendmail.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct EmailTests {
    let mail: MailFixture
    var fixture: DaemonFixture { mail.fixture }
    var mailbox: URL { mail.mailbox }

    init() throws {
        mail = try MailFixture()
        try mail.fixture.writeCredential("smtp-password", "correct horse")
    }

    func configure(email: String, accounts: String? = nil) throws {
        try fixture.writeConfig(
            accounts: accounts
                ?? "  - {id: \(fixture.account("soren")), region: DK, name: \"Søren Ærø\", email: soren@example.org}",
            extra: "channels:\n  email:\n" + email.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    }

    func messages() throws -> [(mail: [String: Any], envelope: [String: Any])] { try mail.messages() }

    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length)
                return getsockname(descriptor, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aPlainSMTPMessageHasEveryHeaderAndSaysWhatToDo() throws {
        let server = try mail.server()
        try configure(
            email: """
                from: "Privacy Team <privacy@example.org>"
                transport: smtp://127.0.0.1:\(server.port)
                starttls: off
                cc: [team@example.org]
                """)
        #expect(try fixture.runOnce().status == 0)
        // The owner and the copy address each get a message of their own.
        let received = try mail.byRecipient()
        #expect(received.keys.sorted() == ["soren@example.org", "team@example.org"])
        let mail = try #require(received["soren@example.org"])
        let headers = mail["headers"] as? [String: String] ?? [:]
        let account = fixture.account("soren")
        #expect(headers["From"] == "Privacy Team <privacy@example.org>")
        #expect(headers["To"] == "soren@example.org")
        #expect(headers["Cc"] == nil)
        // What and by when, with no internal id and no tool name in front.
        #expect(headers["Subject"] == "Overdue since 3 November 2025: 2 LinkedIn settings")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Content-Language"] == "en")
        #expect(mail["content_type"] as? String == "multipart/mixed")
        #expect(
            mail["parts"] as? [String] == [
                "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar",
            ])
        #expect(mail["charset"] as? String == "utf-8")
        #expect(mail["encoding"] as? String == "quoted-printable")
        #expect(headers["Auto-Submitted"] == "auto-generated")
        #expect(headers["X-Optoutd-Event"] == "policy-applies")
        #expect(headers["X-Optoutd-Account"] == account)
        #expect(headers["X-Optoutd-Policy"] == "linkedin-genai-training-2025")
        #expect(headers["Message-ID"]?.hasSuffix("@example.org>") == true)
        #expect(headers["Date"]?.hasSuffix("+0000") == true)
        #expect((mail["defects"] as? [String])?.isEmpty == true)
        let raw = mail["raw_headers"] as? [String] ?? []
        #expect(raw.allSatisfy { $0.utf8.count <= 78 && $0.unicodeScalars.allSatisfy(\.isASCII) })
        let body = mail["body"] as? String ?? ""
        #expect(body.hasPrefix("Hello Søren Ærø,\n"))
        #expect(body.contains("The deadline passed on 3 November 2025."))
        #expect(body.contains("[ ] 1. Turn off Data for Generative AI Improvement"))
        #expect(body.contains("Link:   https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"))
        #expect(body.contains("Data it does not use:"))
        #expect(body.contains("When you are done, reply to this message."))
        // Nothing an employee cannot run.
        #expect(!body.contains("optoutd"))
        #expect(!body.contains(account))
        let envelope = try #require(
            try messages().first { ($0.envelope["rcpt_tos"] as? [String]) == ["soren@example.org"] })
        #expect(envelope.envelope["mail_from"] as? String == "privacy@example.org")
        #expect(envelope.envelope["tls"] as? Bool == false)
        let team = try #require(received["team@example.org"])
        #expect((team["headers"] as? [String: String])?["X-Optoutd-Event"] == "summary")
        #expect(
            (team["body"] as? String)?.contains("\(account) | Søren Ærø | LinkedIn | linkedin-genai-training-2025")
                == true)
    }

    @Test func startTLSAndAuthWithAPasswordFromACredential() throws {
        let key = fixture.directory.appendingPathComponent("key.pem").path
        let certificate = fixture.directory.appendingPathComponent("cert.pem").path
        let made = try Optoutd.runTool(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let server = try LocalServer(
            script: "smtp_server.py",
            [mailbox.path, "--tls", certificate, key, "--require-starttls", "--auth", "optoutd", "correct horse"])
        let tlsEmail = """
            from: privacy@example.org
            transport: smtp://127.0.0.1:\(server.port)
            starttls: required
            tls_ca_file: \(certificate)
            username: optoutd
            password_credential: smtp-password
            """
        try configure(
            email: tlsEmail)
        #expect(try fixture.runOnce().status == 0)
        let received = try messages()
        #expect(received.count == 1)
        #expect(received.first?.envelope["tls"] as? Bool == true)
        #expect(received.first?.envelope["authenticated"] as? Bool == true)
        // The password never reaches the journal.
        #expect(
            !(try Optoutd.runTool("/usr/bin/journalctl", ["--no-pager", "-o", "json"]).stdout.contains("correct horse"))
        )

        // A wrong password: not delivered, retried, and the error names no secret.
        try fixture.writeCredential("smtp-password", "wrong")
        try configure(
            email: tlsEmail,
            accounts: "  - {id: \(fixture.account("second")), region: FI, email: second@example.org}")
        #expect(try fixture.runOnce().status == 0)
        #expect(try messages().count == 1)
        #expect(try fixture.run(["status"]).stdout.contains("outbox: 1 waiting for email"))
    }

    @Test func aServerThatIsDownAtFirstGetsTheMessageOnceAfterBackOff() throws {
        let port = Self.freePort()
        try configure(email: "from: privacy@example.org\ntransport: smtp://127.0.0.1:\(port)\nstarttls: opportunistic")
        let start = Instant(Date())
        #expect(try fixture.runOnce(at: 0, from: start).status == 0)
        // Each address is a delivery of its own.
        #expect(
            try fixture.run(["status"]).stdout.contains(
                "outbox: 1 waiting for email:soren@example.org (last error: email: smtp: "))
        let server = try LocalServer(script: "smtp_server.py", [mailbox.path, "--port", String(port)])
        _ = server
        // a restarted daemon still waits out the back-off
        #expect(try fixture.runOnce(at: 20, from: start).status == 0)
        #expect(try messages().isEmpty)
        #expect(try fixture.runOnce(at: 70, from: start).status == 0)
        #expect(try messages().count == 1)
        #expect(try fixture.runOnce(at: 4000, from: start).status == 0)
        #expect(try messages().count == 1)
        #expect(!(try fixture.run(["status"]).stdout.contains("outbox:")))
    }

    @Test func sendmailGetsTheMessageOnStandardInput() throws {
        let out = fixture.directory.path
        let program = fixture.directory.appendingPathComponent("sendmail").path
        try
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > \(out)/sendmail-argv\ncat > \(mailbox.path)/message-$$.eml\necho '{\"tls\": false}' > \(mailbox.path)/message-$$.json\n"
            .write(toFile: program, atomically: true, encoding: .utf8)
        chmod(program, 0o755)
        try configure(email: "from: privacy@example.org\ntransport: \"sendmail:\(program)\"\ncc: [audit@example.org]")
        #expect(try fixture.runOnce().status == 0)
        #expect(try String(contentsOfFile: out + "/sendmail-argv", encoding: .utf8) == "-i\n-t\n")
        let received = try messages().map(\.mail)
        #expect(received.count == 2)
        let own = try #require(received.first { ($0["headers"] as? [String: String])?["To"] == "soren@example.org" })
        let headers = own["headers"] as? [String: String] ?? [:]
        #expect(headers["X-Optoutd-Account"] == fixture.account("soren"))
        #expect((own["body"] as? String)?.contains("[ ] 1. ") == true)
        #expect(received.contains { ($0["headers"] as? [String: String])?["To"] == "audit@example.org" })
    }

    @Test func aDailyDigestGathersEachRecipientsNotices() throws {
        let server = try mail.server()
        let a = fixture.account("a")
        let b = fixture.account("b")
        try configure(
            email:
                "from: privacy@example.org\ntransport: smtp://127.0.0.1:\(server.port)\nstarttls: off\ndigest: daily\ncc: [team@example.org]",
            accounts:
                "  - {id: \(a), region: DE, email: a@example.org}\n  - {id: \(b), region: CA, timezone: America/Toronto}"
        )
        // 08:00 in Berlin: the digest goes out at 09:00. (A day of its own, not today's: the
        // summary is dated by the daemon's clock, which --now sets.)
        let morning = Instant(iso: "2026-11-24T08:00:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: morning).status == 0)
        #expect(try messages().isEmpty)
        #expect(try fixture.runOnce(at: 3600, from: morning).status == 0)
        let received = try messages()
        let byRecipient = Dictionary(
            uniqueKeysWithValues: received.map { (($0.envelope["rcpt_tos"] as? [String])?.first ?? "", $0.mail) })
        #expect(byRecipient.keys.sorted() == ["a@example.org", "team@example.org"])
        let team = try #require(byRecipient["team@example.org"])
        let headers = team["headers"] as? [String: String] ?? [:]
        #expect(headers["Subject"] == "Opt-out notices of 24 November 2026: 5 notices for 2 accounts")
        #expect(headers["X-Optoutd-Event"] == "summary")
        let body = team["body"] as? String ?? ""
        #expect(body.contains("People with an address: 1; accounts without one: 1."))
        #expect(body.contains("\(a) |  | LinkedIn | linkedin-genai-training-2025 | first notice |"))
        #expect(body.contains("\(b) |  | LinkedIn | linkedin-ads-sharing-2025 | first notice |"))
        let own = byRecipient["a@example.org"]?["headers"] as? [String: String] ?? [:]
        #expect(own["Subject"] == "Overdue since 3 November 2025: 2 LinkedIn settings")
        #expect(try fixture.runOnce(at: 7200, from: morning).status == 0)
        #expect(try messages().count == 2)
    }

    /// The shipped timer runs a few minutes after `reminders.at`: a reminder due at 09:00
    /// must still go out that day, not a day late.
    @Test func aDailyDigestRunLateSendsTheRemindersOfThatDay() throws {
        let server = try mail.server()
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("soren")), region: DE, email: soren@example.org}",
            extra: """
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(server.port)", starttls: off, digest: daily, cc: [team@example.org]}
                policies:
                  - {id: future-toggle, platform: linkedin, title: A future change, effective: 2026-12-15, deadline: 2026-12-15, regions: [DE], actions: [{id: future-switch, title: Switch it off, where: Settings}]}
                """)
        let first = Instant(iso: "2026-11-20T12:00:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: first).status == 0)
        #expect(try messages().isEmpty)  // found after 09:00: the next day's round
        let nextMorning = Instant(iso: "2026-11-21T09:05:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: nextMorning).status == 0)
        #expect(try messages().count == 2)
        // 14 days before the deadline, at 09:00: the timer runs at 09:05.
        let reminderDay = Instant(iso: "2026-12-01T09:05:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: reminderDay).status == 0)
        // The day's reminder and last week's overdue repeat, in one message each, now.
        let received = try messages().map(\.mail)
        #expect(received.count == 4)
        let own = received.filter { ($0["headers"] as? [String: String])?["To"] == "soren@example.org" }
        #expect(own.count == 2)
        #expect(own.allSatisfy { ($0["body"] as? String)?.contains("3. Switch it off") == true })
        // The copy is of the round's day, although the overdue repeat is of 27 November.
        let subjects = received.compactMap { ($0["headers"] as? [String: String])?["Subject"] }
        #expect(subjects.contains { $0.hasPrefix("Opt-out notices of 1 December 2026: 2 notices") }, "\(subjects)")
        #expect(!(try fixture.run(["status"]).stdout.contains("outbox:")))
        // and only once
        #expect(try fixture.runOnce(at: 3600, from: reminderDay).status == 0)
        #expect(try messages().count == 4)
    }

    /// An account west of the digest's zone gets its reminders after the day's round there:
    /// the last reminder before the deadline goes out at once, not in the next round, which
    /// would come on the deadline's day itself in the account's zone.
    @Test func aDailyDigestDoesNotHoldTheLastReminderPastTheDeadline() throws {
        let server = try mail.server()
        try fixture.writeConfig(
            accounts:
                "  - {id: \(fixture.account("west")), region: US, timezone: America/Los_Angeles, email: west@example.org}",
            extra: """
                catalog: {builtin: false}
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(server.port)", starttls: off, digest: daily}
                policies:
                  - {id: future-toggle, platform: linkedin, title: A future change, effective: 2026-12-15, deadline: 2026-12-15, regions: [US], actions: [{id: future-switch, title: Switch it off, where: Settings}]}
                """)
        let first = Instant(iso: "2026-12-10T12:00:00-08:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: first).status == 0)
        #expect(try fixture.runOnce(at: 86_400, from: first).status == 0)
        let before = try messages().count
        // 09:05 in Los Angeles on the 14th is 18:05 in Berlin: the round there was at 09:00.
        let lastDay = Instant(iso: "2026-12-14T09:05:00-08:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: lastDay).status == 0)
        let sent = try messages().dropFirst(before).map(\.mail)
        #expect(sent.count == 1)
        let headers = sent.first?["headers"] as? [String: String] ?? [:]
        #expect(headers["Subject"] == "Action needed before 15 December 2026: 1 LinkedIn setting", "\(headers)")
    }
}
