import Testing

@testable import OptOutDaemon

@Suite struct SMTPAuthenticationWatchTests {
    /// Whether the transfer goes on after each line: false where it is to stop.
    static func verdicts(_ lines: [String], takesStartTLS: Bool = true) -> [Bool] {
        var watch = SMTPAuthenticationWatch(takesStartTLS: takesStartTLS)
        return lines.map { watch.take(Array(($0 + "\r\n").utf8)) }
    }

    @Test func anEHLOReplyThatOffersAUTHLetsTheTransferGoOn() {
        let lines = ["220 mail ESMTP", "250-mail", "250-SIZE 10240000", "250 AUTH PLAIN LOGIN", "235 ok", "250 OK"]
        #expect(Self.verdicts(lines).allSatisfy { $0 })
        // The old form, AUTH=, counts too, in any case.
        #expect(Self.verdicts(["220 mail", "250-mail", "250 auth=LOGIN"]).allSatisfy { $0 })
    }

    @Test func anEHLOReplyWithoutAUTHStopsItAtItsLastLine() {
        #expect(Self.verdicts(["220 mail", "250-mail", "250-SIZE 1000", "250 8BITMIME"]) == [true, true, true, false])
        // A one-line reply, or a HELO after a refused EHLO, offers nothing either.
        #expect(Self.verdicts(["220 mail", "250 mail"]) == [true, false])
        #expect(Self.verdicts(["220 mail", "502 no EHLO here", "250 mail"]) == [true, true, false])
    }

    /// AUTH offered only once the connection is encrypted, as servers do: the reply after
    /// STARTTLS is the one that counts.
    @Test func theReplyAfterSTARTTLSIsTheOneThatCounts() {
        let before = ["220 mail", "250-mail", "250 STARTTLS", "220 go ahead", "250-mail"]
        #expect(Self.verdicts(before + ["250 AUTH PLAIN"]).allSatisfy { $0 })
        #expect(Self.verdicts(before + ["250 SIZE 1000"]).last == false)
        // A client that does not take STARTTLS goes no further than the first reply, and
        // the watch says that the server might have offered to log in after it.
        var watch = SMTPAuthenticationWatch(takesStartTLS: false)
        #expect(["220 mail", "250-mail", "250 STARTTLS"].map { watch.take(Array($0.utf8)) } == [true, true, false])
        #expect(watch.offersLoginOnlyAfterStartTLS)
        var plain = SMTPAuthenticationWatch(takesStartTLS: false)
        #expect(["220 mail", "250 mail"].map { plain.take(Array($0.utf8)) } == [true, false])
        #expect(!plain.offersLoginOnlyAfterStartTLS)
    }

    /// Replies to later commands are not looked at: `250 OK` to MAIL FROM is no EHLO reply.
    @Test func repliesAfterTheEHLOReplyAreLeftAlone() {
        #expect(
            Self.verdicts(["220 mail", "250 AUTH PLAIN", "235 ok", "250 OK", "250 OK", "354 go", "250 OK"]).allSatisfy {
                $0
            })
    }
}
