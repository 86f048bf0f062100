import Foundation
import Testing

@testable import OptOutDaemon

/// What is kept of a server's answer for an error message.
struct ServerReplyTests {
    func reply(_ bytes: [UInt8]) -> ServerReply {
        var reply = ServerReply()
        // In pieces, as libcurl hands a body over.
        for piece in stride(from: 0, to: bytes.count, by: 64) {
            reply.append(Array(bytes[piece..<min(piece + 64, bytes.count)]))
        }
        return reply
    }

    @Test func atMostTheLimitIsKeptAndACutIsShown() {
        let long = reply(Array(repeating: UInt8(ascii: "x"), count: 1000))
        #expect(long.bytes.count == ServerReply.limit)
        #expect(long.text == String(repeating: "x", count: ServerReply.limit) + "…")
        #expect(reply(Array(#"{"error":"invalid_payload"}"#.utf8)).text == #"{"error":"invalid_payload"}"#)
    }

    /// A server that echoes a secret near the cut leaves no part of it: secrets are taken
    /// out of what arrived before it is cut to the limit.
    @Test func aSecretAtTheCutIsTakenOutWhole() {
        let secret = "tok_" + String(repeating: "S", count: 40)
        for start in [0, 150, ServerReply.limit - 10, ServerReply.limit - 1] {
            var reply = ServerReply(redacting: [secret, "short"])
            let before = String(repeating: "x", count: start)
            reply.append(Array((before + secret + String(repeating: "y", count: 300)).utf8))
            let text = reply.text ?? ""
            #expect(text.hasPrefix(before + "[credential]"), "\(start)")
            #expect(!text.contains("tok_") && !text.contains("SSSS"), "\(start): \(text)")
            #expect(text.hasSuffix("…"))
        }
        var past = ServerReply(redacting: [secret])
        past.append(Array((String(repeating: "x", count: ServerReply.limit) + secret).utf8))
        #expect(past.text == String(repeating: "x", count: ServerReply.limit) + "…")
    }

    @Test func controlCharactersAndBrokenUTF8AreReplaced() {
        #expect(reply(Array("bad\r\nrequest\u{1B}[31m\u{85}".utf8)).text == "bad  request [31m")
        #expect(reply([0x61, 0xFF, 0x62]).text == "a\u{FFFD}b")
        #expect(reply(Array(" \r\n".utf8)).text == nil)
    }

    /// A server's text is shown by `status` and `test-notify`: it must not reverse or hide
    /// what sits beside it.
    @Test func directionChangesAndInvisibleCharactersAreReplaced() {
        #expect(reply(Array("EVIL \u{202E}gnp.exe\u{200B}x\u{E0041}".utf8)).text == "EVIL  gnp.exe x")
    }

    @Test func aCharacterCutByTheLimitIsDropped() {
        let bytes = Array(repeating: UInt8(ascii: "x"), count: ServerReply.limit - 1) + Array("é and more".utf8)
        #expect(reply(bytes).text == String(repeating: "x", count: ServerReply.limit - 1) + "…")
    }
}

/// A server may quote what it refused, the password included (decoded or as sent): errors
/// are logged, stored and printed, so the password never stays in them.
@Suite struct CredentialRedactionTests {
    @Test func thePasswordIsTakenOutOfAnErrorAsWrittenAndAsAuthSendsIt() {
        var transfer = Curl.Transfer(url: "smtp://127.0.0.1:25")
        transfer.username = "optoutd"
        transfer.password = "hunter2-SMTP-PASS"
        let plain = Data("\0optoutd\0hunter2-SMTP-PASS".utf8).base64EncodedString()
        let login = Data("hunter2-SMTP-PASS".utf8).base64EncodedString()
        let error = "535 5.7.8 credentials optoutd hunter2-SMTP-PASS rejected (\(plain), \(login))"
        #expect(
            transfer.redacted(error)
                == "535 5.7.8 credentials optoutd [credential] rejected ([credential], [credential])")
        transfer.password = nil
        #expect(transfer.redacted(error) == error)
    }
}
