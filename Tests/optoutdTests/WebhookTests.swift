import Foundation
import OptOutCore
import Testing

/// Webhooks against a real HTTP server on loopback.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct WebhookTests {
    let fixture: DaemonFixture
    let received: URL

    init() throws {
        fixture = try DaemonFixture()
        received = try fixture.subdirectory("received")
        try fixture.writeCredential("webhook-token", "Bearer s3cret-token")
    }

    func configure(port: Int) throws {
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("web")), region: JP}",
            extra: """
                channels:
                  webhooks:
                    - name: chat
                      url: http://127.0.0.1:\(port)/optoutd
                      events: [policy-applies]
                      timeout: 5s
                      headers: [{name: Authorization, credential: webhook-token}]
                """)
    }

    func requests() throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: received.path).sorted().map { name in
            try JSONSerialization.jsonObject(with: Data(contentsOf: received.appendingPathComponent(name)))
                as! [String: Any]
        }
    }

    @Test func serverErrorIsRetriedAndThenDeliveredOnce() throws {
        let server = try LocalServer(script: "http_server.py", [received.path, "500,200"])
        try configure(port: server.port)
        #expect(try fixture.runOnce().status == 0)
        // JP: two policies apply, so two notices; each was answered 500 (then 200 for the second).
        let first = try requests()
        #expect(first.map { $0["status"] as? Int } == [500, 200])
        #expect(try fixture.runOnce(at: 30).status == 0)
        #expect(try requests().count == 2)  // back-off: not yet
        #expect(try fixture.runOnce(at: 70).status == 0)
        let all = try requests()
        #expect(all.map { $0["status"] as? Int } == [500, 200, 200])
        #expect(try fixture.runOnce(at: 7200).status == 0)
        #expect(try requests().count == 3)
        let request = all[2]
        #expect(request["path"] as? String == "/optoutd")
        let headers = request["headers"] as? [String: String] ?? [:]
        #expect(headers["Authorization"] == "Bearer s3cret-token")
        #expect(headers["Content-Type"] == "application/json")
        let body = try #require(
            try JSONSerialization.jsonObject(with: Data((request["body"] as? String ?? "").utf8)) as? [String: Any])
        #expect(body["version"] as? Int == 1)
        #expect(body["event"] as? String == "policy-applies")
        #expect((body["account"] as? [String: Any])?["id"] as? String == fixture.account("web"))
        #expect(
            (body["policy"] as? [String: Any])?["id"] as? String
                == (try JSONSerialization.jsonObject(with: Data((first[0]["body"] as? String ?? "").utf8))
                as? [String: Any]).flatMap { ($0["policy"] as? [String: Any])?["id"] as? String })
        // The secret never reaches the journal.
        let journal = try Optoutd.runTool("/usr/bin/journalctl", ["--no-pager", "-o", "json"])
        #expect(!journal.stdout.contains("s3cret-token"))
    }

    @Test func clientErrorIsAPermanentFailure() throws {
        let server = try LocalServer(script: "http_server.py", [received.path, "400"])
        try configure(port: server.port)
        #expect(try fixture.runOnce().status == 0)
        #expect(try requests().count == 2)
        let failures = try fixture.entries(["OPTOUT_CHANNEL=chat", "OPTOUT_ACCOUNT=\(fixture.account("web"))"])
        #expect(failures.count == 2)
        #expect(
            failures.allSatisfy {
                $0["PRIORITY"] == "3" && $0["MESSAGE"]?.contains("HTTP 400: ok; not retried") == true
            })
        #expect(try fixture.runOnce(at: 7200).status == 0)
        #expect(try requests().count == 2)
    }

    @Test func aRefusedConnectionIsRetried() throws {
        try configure(port: 9)  // discard: nothing listens there
        #expect(try fixture.runOnce().status == 0)
        let status = try fixture.run(["status"])
        #expect(status.stdout.contains("outbox: 2 waiting for chat (last error: webhook chat: "), "\(status.stdout)")
    }
}
