/// Watches an SMTP server's replies, line by line, for whether it offers to log in.
///
/// libcurl logs in only where the server's EHLO reply lists `AUTH`; where it does not, it
/// sends the message without logging in, as if no username were set. A server that offers
/// no login is not the one the username is for (a relay on port 25 rather than the
/// submission port, say): the transfer is to stop before the message goes out.
///
/// The EHLO reply is the first `250` reply after a `220` one (the greeting, or the go-ahead
/// for STARTTLS); a refused EHLO comes between where the client falls back to HELO. One
/// that offers STARTTLS, to a client that takes it, is followed by another after the
/// upgrade: that one counts.
struct SMTPAuthenticationWatch {
    /// Whether the client upgrades the connection when the server offers STARTTLS.
    let takesStartTLS: Bool
    /// Whether a `220` reply came and the EHLO (or HELO) reply after it has not.
    private var awaitingHello = false
    /// Whether the reply that offered no login offered STARTTLS, which the client does not
    /// take: servers commonly offer to log in only once the connection is encrypted.
    private(set) var offersLoginOnlyAfterStartTLS = false
    /// The EHLO reply being read: whether it listed AUTH and STARTTLS so far.
    private var reply: (offersLogin: Bool, offersStartTLS: Bool)?

    init(takesStartTLS: Bool) {
        self.takesStartTLS = takesStartTLS
    }

    /// Takes one reply line (`250-AUTH PLAIN LOGIN`, say); false once an EHLO reply that
    /// counts has ended without offering to log in.
    mutating func take(_ line: some Collection<UInt8>) -> Bool {
        let bytes = Array(line.prefix(80))
        guard bytes.count >= 3, bytes[..<3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return true }
        let code = bytes[..<3].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let isLast = bytes.count == 3 || bytes[3] != UInt8(ascii: "-")
        if code == 220, isLast { awaitingHello = true }
        guard code == 250, reply != nil || awaitingHello else { return true }
        var current = reply ?? (false, false)
        let keyword = String(
            decoding: bytes.dropFirst(4).prefix { $0 > 0x20 && $0 != UInt8(ascii: "=") }, as: UTF8.self
        )
        .uppercased()
        if keyword == "AUTH" { current.offersLogin = true }
        if keyword == "STARTTLS" { current.offersStartTLS = true }
        guard isLast else {
            reply = current
            return true
        }
        reply = nil
        awaitingHello = false
        offersLoginOnlyAfterStartTLS = !current.offersLogin && current.offersStartTLS && !takesStartTLS
        return current.offersLogin || (current.offersStartTLS && takesStartTLS)
    }
}
