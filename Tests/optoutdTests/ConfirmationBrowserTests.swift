import Foundation
import OptOutCore
import Testing

/// The whole loop as a person lives it: the reminder mail (through a real SMTP server)
/// carries a link, a real Chromium opens it, ticks two boxes and submits, and the running
/// daemon sends `opted-out` and stops reminding.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct ConfirmationBrowserTests {
    @Test func aPersonConfirmsFromTheLinkInTheirMailAndTheDaemonActsOnIt() throws {
        let web = WebFixture()
        let fixture = web.fixture
        let mailbox = try fixture.subdirectory("mailbox")
        let smtp = try LocalServer(script: "smtp_server.py", [mailbox.path])
        let account = fixture.account("soren")
        // A name over plain http, as on a company network, not a loopback address: browsers
        // trust 127.0.0.1 as a secure origin and tell it where a form came from
        // (Sec-Fetch-Site), but to a name over http they say it by `Origin` alone, and the
        // page's own form must pass there too. The browser resolves the name to loopback.
        let base = "http://privacy.test:\(web.port)"
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: DK, name: Søren, email: soren@example.org}",
            extra: """
                web: {base_url: "\(base)"}
                channels:
                  email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(smtp.port)", starttls: off}
                """)
        #expect(try fixture.runOnce().status == 0)

        // The link, from the mail as the person's mail program shows it.
        let mail = try #require(try MailFixture.messages(in: mailbox).first?.mail)
        let body = mail["body"] as? String ?? ""
        let link = try #require(
            body.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix(base + "/c/") },
            "\(body)")
        #expect((mail["html"] as? String)?.contains(#"<a href="\#(link)">"#) == true)

        let daemon = try fixture.start()
        defer { daemon.stop() }
        try fixture.waitForNotices { $0.contains { $0["OPTOUT_EVENT"] == "policy-applies" } }
        try web.serve()

        let started = ContinuousClock.now
        let browser = try Optoutd.runTool(
            "/usr/bin/python3",
            [
                Optoutd.repository.appendingPathComponent("Tests/support/confirm_in_browser.py").path, link,
                "Done on my phone", "\(account):ai-improvement-toggle", "\(account):objection-form",
            ])
        #expect(browser.status == 0, "\(browser.stderr)")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any])
        let labels = page["labels"] as? [String: String?] ?? [:]
        #expect(labels.count == 2)
        #expect(labels.values.allSatisfy { $0?.isEmpty == false }, "every checkbox has a label")
        #expect(page["overflow"] as? Bool == false, "readable on a phone's width")
        #expect((page["outcome"] as? String)?.contains("We recorded") == true, "\(page)")
        #expect((page["body"] as? String)?.contains("Everything is done.") == true)
        #expect((page["remaining"] as? [String])?.isEmpty == true)
        #expect((page["done"] as? [String])?.count == 2)

        // The daemon, told through the store, acts within seconds.
        let notices = try fixture.waitForNotices(timeout: .seconds(5)) {
            $0.contains { $0["OPTOUT_EVENT"] == "opted-out" }
        }
        #expect(ContinuousClock.now - started < .seconds(8))
        #expect(notices.contains { $0["OPTOUT_EVENT"] == "opted-out" })
        let acks = try web.acks(account)
        #expect(acks.map { $0["action"] as? String } == ["ai-improvement-toggle", "objection-form"])
        #expect(acks.allSatisfy { $0["source"] as? String == "link" && $0["note"] as? String == "Done on my phone" })
    }

    @Test func theJSONDocumentAndChatPostsCarryTheOwnersLinkToTheirPage() throws {
        let web = WebFixture()
        let fixture = web.fixture
        let received = try fixture.subdirectory("received")
        let http = try LocalServer(script: "http_server.py", [received.path, "200"])
        let account = fixture.account("kenji")
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: CA, email: kenji@example.org}",
            extra: """
                \(web.webSection)
                channels:
                  webhooks:
                    - {name: json, url: "http://127.0.0.1:\(http.port)/json"}
                    - {name: chat, url: "http://127.0.0.1:\(http.port)/chat", format: mattermost}
                """)
        #expect(try fixture.runOnce().status == 0)
        try web.serve()
        let requests = try FileManager.default.contentsOfDirectory(atPath: received.path).sorted().map {
            try JSONSerialization.jsonObject(with: Data(contentsOf: received.appendingPathComponent($0)))
                as? [String: Any]
                ?? [:]
        }
        let documents = requests.filter { $0["path"] as? String == "/json" }.compactMap {
            try? JSONSerialization.jsonObject(with: Data(($0["body"] as? String ?? "").utf8)) as? [String: Any]
        }
        #expect(!documents.isEmpty)
        for document in documents {
            let link = try #require(document["confirm_url"] as? String)
            let page = try web.get(String(link.dropFirst(web.base.count)))
            #expect(page.status == 200)
            #expect(page.body.contains(#"value="\#(account):"#))
        }
        let chat = try #require(requests.first { $0["path"] as? String == "/chat" }?["body"] as? String)
        #expect(chat.contains("Confirm what you have switched off"))
        #expect(chat.contains(web.base + "/c/"))
    }

    /// A step described with one long unbroken word (a path, a link written out) and a long
    /// name still fit a phone's width: they wrap instead of widening the page.
    @Test func longWordsStillFitAPhonesWidth() throws {
        let web = WebFixture()
        let account = web.fixture.account("long")
        let word = String(repeating: "Einstellungen", count: 10)
        try web.start(
            accounts: "  - {id: \(account), region: DE, name: \(String(repeating: "Nameohneende", count: 10))}",
            extra: """
                policies:
                  - {id: long-where, platform: linkedin, title: A long way, effective: 2025-01-01, regions: [DE], actions: [{id: long-step, title: Find it, where: "\(word)"}]}
                """)
        let browser = try Optoutd.runTool(
            "/usr/bin/python3",
            [
                Optoutd.repository.appendingPathComponent("Tests/support/confirm_in_browser.py").path,
                try web.link(account), "",
            ])
        #expect(browser.status == 0, "\(browser.stderr)")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any])
        #expect((page["labels"] as? [String: String?])?.keys.contains("\(account):long-step") == true)
        #expect(page["overflow"] as? Bool == false, "a long word widened the page")
    }
}
