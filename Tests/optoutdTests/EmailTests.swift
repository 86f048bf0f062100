import Foundation
import OptOutCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// E-mail through a real SMTP server (python3-aiosmtpd) on loopback, and through sendmail.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct EmailTests {
    let fixture: DaemonFixture
    let mailbox: URL

    init() throws {
        fixture = try DaemonFixture()
        mailbox = try fixture.subdirectory("mailbox")
        try fixture.writeCredential("smtp-password", "correct horse")
    }

    func configure(email: String, accounts: String? = nil) throws {
        try fixture.writeConfig(
            accounts: accounts
                ?? "  - {id: \(fixture.account("soren")), region: DK, name: \"Søren Ærø\", email: soren@example.org}",
            extra: "channels:\n  email:\n" + email.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    }

    /// The messages received so far, each parsed by Python's email package, with its envelope.
    func messages() throws -> [(mail: [String: Any], envelope: [String: Any])] {
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
        let server = try LocalServer(script: "smtp_server.py", [mailbox.path])
        try configure(
            email: """
                from: "Privacy Team <privacy@example.org>"
                transport: smtp://127.0.0.1:\(server.port)
                starttls: off
                cc: [team@example.org]
                """)
        #expect(try fixture.runOnce().status == 0)
        let received = try messages()
        #expect(received.count == 1)
        let (mail, envelope) = try #require(received.first)
        let headers = mail["headers"] as? [String: String] ?? [:]
        let account = fixture.account("soren")
        #expect(headers["From"] == "Privacy Team <privacy@example.org>")
        #expect(headers["To"] == "soren@example.org")
        #expect(headers["Cc"] == "team@example.org")
        #expect(headers["Subject"] == "[optoutd] linkedin-genai-training-2025 applies to Søren Ærø")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Content-Type"]?.replacingOccurrences(of: "\"", with: "") == "text/plain; charset=utf-8")
        #expect(headers["Content-Transfer-Encoding"] == "quoted-printable")
        #expect(headers["Auto-Submitted"] == "auto-generated")
        #expect(headers["X-Optoutd-Event"] == "policy-applies")
        #expect(headers["X-Optoutd-Account"] == account)
        #expect(headers["X-Optoutd-Policy"] == "linkedin-genai-training-2025")
        #expect(headers["Message-ID"]?.hasSuffix("@example.org>") == true)
        #expect(headers["Date"]?.hasSuffix("+0000") == true)
        #expect((mail["defects"] as? [String])?.isEmpty == true)
        let raw = mail["raw_headers"] as? [String] ?? []
        #expect(raw.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(raw.contains { $0.hasPrefix("Subject: [optoutd] linkedin-genai-training-2025 applies to") })
        #expect(raw.contains { $0.hasPrefix(" =?utf-8?B?") || $0.contains(" =?utf-8?B?") })
        #expect(raw.allSatisfy { $0.utf8.count <= 78 && $0.unicodeScalars.allSatisfy(\.isASCII) })
        let body = mail["body"] as? String ?? ""
        #expect(body.contains("Søren Ærø (\(account))"))
        #expect(body.contains("Deadline:  before 3 November 2025, 00:00 Europe/Berlin (passed"))
        #expect(body.contains("1. Turn off Data for Generative AI Improvement"))
        #expect(body.contains("Link:  https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"))
        #expect(body.contains("Data not used:"))
        #expect(body.contains("When done: optoutd ack \(account) linkedin-genai-training-2025"))
        #expect(envelope["mail_from"] as? String == "privacy@example.org")
        #expect(envelope["rcpt_tos"] as? [String] == ["soren@example.org", "team@example.org"])
        #expect(envelope["tls"] as? Bool == false)
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
        #expect(try fixture.run(["status"]).stdout.contains("outbox: 1 waiting for email (last error: email: smtp: "))
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
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > \(out)/sendmail-argv\ncat > \(mailbox.path)/message-1.eml\necho '{\"tls\": false}' > \(mailbox.path)/message-1.json\n"
            .write(toFile: program, atomically: true, encoding: .utf8)
        chmod(program, 0o755)
        try configure(email: "from: privacy@example.org\ntransport: \"sendmail:\(program)\"\ncc: [audit@example.org]")
        #expect(try fixture.runOnce().status == 0)
        #expect(try String(contentsOfFile: out + "/sendmail-argv", encoding: .utf8) == "-i\n-t\n")
        let (mail, _) = try #require(try messages().first)
        let headers = mail["headers"] as? [String: String] ?? [:]
        #expect(headers["To"] == "soren@example.org")
        #expect(headers["Cc"] == "audit@example.org")
        #expect(headers["X-Optoutd-Account"] == fixture.account("soren"))
        #expect((mail["body"] as? String)?.contains("What to do:") == true)
    }

    @Test func aDailyDigestGathersEachRecipientsNotices() throws {
        let server = try LocalServer(script: "smtp_server.py", [mailbox.path])
        let a = fixture.account("a")
        let b = fixture.account("b")
        try configure(
            email:
                "from: privacy@example.org\ntransport: smtp://127.0.0.1:\(server.port)\nstarttls: off\ndigest: daily\ncc: [team@example.org]",
            accounts:
                "  - {id: \(a), region: DE, email: a@example.org}\n  - {id: \(b), region: CA, timezone: America/Toronto}"
        )
        // 08:00 in Berlin: the digest goes out at 09:00.
        let morning = Instant(iso: "2026-12-01T08:00:00+01:00", defaultZone: .utc)!
        #expect(try fixture.runOnce(at: 0, from: morning).status == 0)
        #expect(try messages().isEmpty)
        #expect(try fixture.runOnce(at: 3600, from: morning).status == 0)
        let received = try messages()
        let byRecipient = Dictionary(
            uniqueKeysWithValues: received.map { (($0.envelope["rcpt_tos"] as? [String])?.first ?? "", $0.mail) })
        #expect(byRecipient.keys.sorted() == ["a@example.org", "team@example.org"])
        let team = try #require(byRecipient["team@example.org"])
        let headers = team["headers"] as? [String: String] ?? [:]
        #expect(headers["Subject"] == "[optoutd] 5 opt-out notices for 2026-12-01")
        #expect(headers["X-Optoutd-Event"] == "digest")
        let body = team["body"] as? String ?? ""
        #expect(body.contains("\(a) in DE is covered by linkedin-genai-training-2025"))
        #expect(body.contains("\(b) in CA is covered by linkedin-ads-sharing-2025"))
        let own = byRecipient["a@example.org"]?["headers"] as? [String: String] ?? [:]
        #expect(own["Subject"] == "[optoutd] linkedin-genai-training-2025 applies to \(a)")
        #expect(try fixture.runOnce(at: 7200, from: morning).status == 0)
        #expect(try messages().count == 2)
    }
}
