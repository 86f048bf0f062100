import NIOHTTP1
import Testing

@testable import OptOutWeb

/// Reading what a browser posts, and refusing what no browser would.
struct FormBodyTests {
    @Test func repeatedFieldsEscapesAndSpacesAreRead() throws {
        let form = try #require(
            FormBody(Array("done=alice%3Aai-toggle&done=alice:objection&note=Done+%C3%A0+9%25".utf8)))
        #expect(form.values("done") == ["alice:ai-toggle", "alice:objection"])
        #expect(form.values("note") == ["Done à 9%"])
        #expect(form.values("other").isEmpty)
    }

    @Test(arguments: ["note=%", "note=%4", "note=%zz", "note=%FF%FE", "done=a%00%"])
    func badEscapesAndBytesThatAreNotUTF8AreRefused(body: String) {
        #expect(FormBody(Array(body.utf8)) == nil)
    }

    @Test func moreFieldsThanAnyPageSendsAreRefused() {
        let body = Array(repeating: "done=a:b", count: FormBody.maximumFields + 1).joined(separator: "&")
        #expect(FormBody(Array(body.utf8)) == nil)
    }

    @Test func onlyFormsOfTheSiteItselfPass() {
        let origin = "https://privacy.example.org"
        func crossSite(_ fields: [(String, String)]) -> Bool {
            ConfirmationSite.isCrossSite(HTTPHeaders(fields), origin: origin)
        }
        #expect(!crossSite([]))
        #expect(!crossSite([("Origin", origin)]))
        #expect(!crossSite([("Sec-Fetch-Site", "same-origin"), ("Origin", "null")]))
        #expect(crossSite([("Origin", "https://evil.example")]))
        #expect(crossSite([("Origin", "null")]))
        #expect(crossSite([("Sec-Fetch-Site", "cross-site"), ("Origin", origin)]))
        #expect(crossSite([("Sec-Fetch-Site", "same-site")]))
    }

    @Test func listenAddressesAreHostAndPort() throws {
        #expect(try WebServer.address("127.0.0.1:8470") == ("127.0.0.1", 8470))
        #expect(try WebServer.address("[::1]:8470") == ("::1", 8470))
        for text in ["8470", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", ":8470", "host:port"] {
            #expect(throws: ListenAddressError.self) { try WebServer.address(text) }
        }
    }
}
