import Foundation
import OptOutCore
import Testing

/// Chat formats and signed requests, from the real daemon to a real HTTP server on
/// loopback that checks each signature with Python's hmac.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct ChatWebhookTests {
    let fixture: DaemonFixture
    let received: URL
    /// A Standard Webhooks secret: `whsec_` and a key in base64.
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    init() throws {
        fixture = try DaemonFixture()
        received = try fixture.subdirectory("received")
        try fixture.writeCredential("chat-secret", Self.secret)
        try fixture.writeCredential("chat-token", "Bearer s3cret-token")
    }

    /// Two JP accounts, two policies each: four notices in the first round.
    func configure(port: Int, formats: [String]) throws {
        let webhooks = formats.map { format in
            """
                - name: \(format)
                  url: http://127.0.0.1:\(port)/\(format)
                  format: \(format)
                  events: [policy-applies]
                  timeout: 5s
                  signing_secret_credential: chat-secret
                  headers: [{name: Authorization, credential: chat-token}]
            """
        }
        try fixture.writeConfig(
            accounts: """
                  - {id: \(fixture.account("chan")), region: JP, name: Chan Ka-ming}
                  - {id: \(fixture.account("ito")), region: JP}
                """,
            extra: "channels:\n  webhooks:\n" + webhooks.joined(separator: "\n"))
    }

    func requests() throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: received.path).sorted {
            $0.count == $1.count ? $0 < $1 : $0.count < $1.count
        }.map { name in
            try JSONSerialization.jsonObject(with: Data(contentsOf: received.appendingPathComponent(name)))
                as! [String: Any]
        }
    }

    func body(_ request: [String: Any]) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data((request["body"] as? String ?? "").utf8)) as? [String: Any])
    }

    func headers(_ request: [String: Any]) -> [String: String] {
        // Python's http.server keeps the names as sent; compare them without case.
        Dictionary(
            ((request["headers"] as? [String: String]) ?? [:]).map { ($0.key.lowercased(), $0.value) },
            uniquingKeysWith: { first, _ in first })
    }

    @Test func eachChatGetsOneSignedPostForTheRoundAndJSONOnePerNotice() throws {
        let server = try LocalServer(script: "http_server.py", [received.path, "200", "--secret", Self.secret])
        try configure(port: server.port, formats: ["slack", "mattermost", "teams", "json"])
        let sent = Int(Date().timeIntervalSince1970)
        #expect(try fixture.runOnce().status == 0)
        let all = try requests()
        let byPath = Dictionary(grouping: all) { $0["path"] as? String ?? "" }
        #expect(byPath.mapValues(\.count) == ["/slack": 1, "/mattermost": 1, "/teams": 1, "/json": 4])
        for request in all {
            #expect(request["signature_valid"] as? Bool == true, "\(request)")
            let headers = headers(request)
            #expect(headers["webhook-id"]?.hasPrefix("msg_") == true)
            let timestamp = try #require(headers["webhook-timestamp"].flatMap { Int($0) })
            #expect(abs(timestamp - sent) < 120)
        }
        // Each JSON notice has an id of its own.
        let json = try #require(byPath["/json"])
        #expect(Set(json.map { headers($0)["webhook-id"] }).count == 4)

        func post(_ path: String) throws -> [String: Any] {
            let request = try #require(byPath[path]?.first)
            return try body(request)
        }
        let slack = try post("/slack")
        let blocks = try #require(slack["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "section", "section", "section"])
        #expect((slack["text"] as? String)?.contains("to switch off, 2 accounts") == true, "\(slack)")
        let sections = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        #expect(sections.filter { $0.hasPrefix("*Chan Ka-ming* (linkedin, JP)") }.count == 2, "\(sections)")

        let mattermost = try #require(try post("/mattermost")["text"] as? String)
        #expect(mattermost.hasPrefix("#### "))
        #expect(mattermost.split(separator: "\n").filter { $0.hasPrefix("- **") }.count == 4, "\(mattermost)")

        let teams = try post("/teams")
        #expect(teams["type"] as? String == "message")
        let attachment = try #require((teams["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        let cardBody = try #require(card["body"] as? [[String: Any]])
        #expect(cardBody.filter { $0["type"] as? String == "Container" }.count == 4)
        let actions = try #require(card["actions"] as? [[String: Any]])
        #expect(!actions.isEmpty && actions.allSatisfy { $0["type"] as? String == "Action.OpenUrl" })

        // The journal keeps one entry per notice.
        #expect(try fixture.notices().filter { $0["OPTOUT_EVENT"] == "policy-applies" }.count == 4)
    }

    @Test func aRetryKeepsItsIDAndTheErrorQuotesTheServerWithoutCredentials() throws {
        let server = try LocalServer(
            script: "http_server.py",
            [
                received.path, "503,200", "--secret", Self.secret, "--body",
                #"{"error":"busy","saw":"Bearer s3cret-token"}"#,
            ])
        try configure(port: server.port, formats: ["slack"])
        #expect(try fixture.runOnce().status == 0)
        let status = try fixture.run(["status"])
        #expect(
            status.stdout.contains(
                #"outbox: 4 waiting for slack (last error: webhook slack: HTTP 503: {"error":"busy","saw":"[credential]"})"#
            ), "\(status.stdout)")
        #expect(!status.stdout.contains("s3cret-token"))
        #expect(try fixture.runOnce(at: 70).status == 0)
        let all = try requests()
        #expect(all.map { $0["status"] as? Int } == [503, 200])
        #expect(all.allSatisfy { $0["signature_valid"] as? Bool == true })
        #expect(headers(all[0])["webhook-id"] == headers(all[1])["webhook-id"])
        #expect(try body(all[0])["blocks"] != nil)
        #expect(!(try fixture.run(["status"]).stdout.contains("outbox:")))
    }

    @Test func aClientErrorIsGivenUpQuotingTheServer() throws {
        let server = try LocalServer(
            script: "http_server.py", [received.path, "400", "--body", "{\"error\":\"invalid_payload\"}\n\u{1B}[2J"])
        try configure(port: server.port, formats: ["mattermost"])
        #expect(try fixture.runOnce().status == 0)
        #expect(try requests().count == 1)
        let failures = try fixture.entries(["OPTOUT_CHANNEL=mattermost"]).filter {
            $0["OPTOUT_ACCOUNT"]?.hasPrefix(fixture.tag) == true && $0["PRIORITY"] == "3"
        }
        #expect(failures.count == 4)
        #expect(
            failures.allSatisfy {
                $0["MESSAGE"]?.contains(#"webhook mattermost: HTTP 400: {"error":"invalid_payload"}  [2J; not retried"#)
                    == true
            }, "\(failures.map { $0["MESSAGE"] ?? "" })")
        let status = try fixture.run(["status"]).stdout
        #expect(
            status.contains(
                #"outbox: 4 given up for mattermost in the last 7 days (last error: webhook mattermost: HTTP 400: {"error":"invalid_payload"}  [2J; not retried)"#
            ), "\(status)")
        #expect(try fixture.runOnce(at: 7200).status == 0)
        #expect(try requests().count == 1)
    }

    @Test func aMalformedSecretIsNamedButNeverShown() throws {
        try fixture.writeCredential("chat-secret", "not-a-whsec-value")
        let server = try LocalServer(script: "http_server.py", [received.path, "200"])
        try configure(port: server.port, formats: ["teams"])
        #expect(try fixture.runOnce().status == 0)
        #expect(try requests().isEmpty)
        let failures = try fixture.entries(["OPTOUT_CHANNEL=teams"]).filter {
            $0["OPTOUT_ACCOUNT"]?.hasPrefix(fixture.tag) == true && $0["PRIORITY"] == "3"
        }
        #expect(failures.count == 4)
        #expect(
            failures.allSatisfy { $0["MESSAGE"]?.contains("credential 'chat-secret' is not a signing secret") == true })
        let journal = try Optoutd.runTool("/usr/bin/journalctl", ["--no-pager", "-o", "json"])
        #expect(!journal.stdout.contains("not-a-whsec-value"))
    }
}
