import Foundation
import Testing

/// What HTTP/1.1 asks of a server, as proxies and command-line clients rely on it.
extension ConfirmationPageTests {
    /// One Host, as HTTP/1.1 requires: none, or two that may disagree, is a bad request.
    @Test(arguments: [
        "GET /healthz HTTP/1.1\\r\\n\\r\\n", "GET /healthz HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n",
    ])
    func aRequestWithoutOneHostIsRefused(request: String) throws {
        let answer = try web.probe(["half-close", web.base, request])
        #expect(answer["status"] as? Int == 400)
        #expect(answer["answers"] as? Int == 1)
    }

    /// HEAD, as uptime checks send it, is answered as GET without the body.
    @Test func headIsAnsweredWithoutABody() throws {
        let answer = try web.probe(["half-close", web.base, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"])
        #expect(answer["status"] as? Int == 200)
        #expect((answer["headers"] as? [String: String])?["Content-Length"] == "3")
        #expect(answer["answers"] as? Int == 1)
    }

    /// A target in absolute form, as a proxy may forward it, asks for its path.
    @Test func anAbsoluteTargetAsksForItsPath() throws {
        let answer = try web.probe([
            "half-close", web.base, "GET \(web.base)/healthz?x=1 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
        ])
        #expect(answer["status"] as? Int == 200)
    }

    /// After CONNECT a client sends a tunnel's bytes: the refusal ends the connection at
    /// once, rather than leaving it open until the request time runs out.
    @Test func connectIsRefusedAndTheConnectionEnds() throws {
        let answer = try web.probe([
            "send-open", web.base, "CONNECT example.org:443 HTTP/1.1\\r\\nHost: example.org:443\\r\\n\\r\\n",
        ])
        #expect(answer["status"] as? Int == 405)
        #expect(answer["closed"] as? Bool == true)
        #expect((answer["seconds"] as? Double ?? 99) < 5)
    }

    /// A client that asks before it sends a body (curl does, then waits a second) is told
    /// to go on at once.
    @Test func aClientThatAsksBeforeSendingTheBodyIsToldToGoOn() throws {
        let answer = try web.probe([
            "expect-continue", web.url(path(try web.link(alice))), "done=\(alice)%3Aobjection-form",
        ])
        #expect(answer["interim"] as? Int == 100)
        #expect(answer["status"] as? Int == 200)
        #expect(try web.acks(alice).count == 1)
    }
}
