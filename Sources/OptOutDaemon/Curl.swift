import CCurl
import Foundation

/// One libcurl easy handle: a connection that is kept and reused between transfers.
///
/// libcurl is loaded at the first transfer, not when a channel is made: a configuration
/// that only mails through sendmail never maps it, and where it is missing, that transfer
/// fails with a clear error instead of the process failing to start.
///
/// `@unchecked Sendable`: the handle is used under `lock` only, one transfer at a time.
final class Curl: @unchecked Sendable {
    private var handle: UnsafeMutableRawPointer?
    private let lock = NSLock()

    init() {}

    deinit {
        if let handle { optoutd_curl_easy_cleanup(handle) }
    }

    /// The handle, made (and libcurl loaded) on first use.
    private func easyHandle() throws(DeliveryError) -> UnsafeMutableRawPointer {
        if let handle { return handle }
        guard optoutd_curl_load() == 1, let made = optoutd_curl_easy_init() else {
            throw DeliveryError("libcurl (libcurl.so.4) cannot be loaded; install it (Debian: libcurl4)")
        }
        handle = made
        return made
    }

    /// What a transfer needs besides its URL.
    struct Transfer {
        var url: String
        var body: [UInt8] = []
        /// POST the body (HTTP) or upload it (SMTP).
        var upload = false
        var headers: [String] = []
        var mailFrom: String?
        var mailRecipients: [String] = []
        var useTLS: Int = Int(CURLUSESSL_NONE.rawValue)
        var username: String?
        var password: String?
        var caFile: String?
        var timeoutSeconds: Int = 30
        /// Values of the headers that carry credentials.
        var secrets: [String] = []

        /// What must never show in an error: the secrets, and the password as written and
        /// as SMTP's AUTH PLAIN and LOGIN send it (base64); longest first, as one may end
        /// with another. A server may quote what it refused.
        var redactions: [String] {
            var sent = secrets
            if let password, !password.isEmpty {
                sent += [
                    password, Data(password.utf8).base64EncodedString(),
                    Data("\0\(username ?? "")\0\(password)".utf8).base64EncodedString(),
                ]
            }
            return sent.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        }

        /// `text` with every redaction taken out.
        func redacted(_ text: String) -> String {
            redactions.reduce(text) { $0.replacing($1, with: "[credential]") }
        }
    }

    /// What the server answered.
    struct Response {
        var code: Int
        /// The start of the response body: what a server says about a refused request.
        var body: ServerReply
    }

    /// Performs a transfer; returns the server's answer, or throws libcurl's error text
    /// with the server's last error reply (such as an SMTP server's `550 …` line). A raised
    /// `cancellation` aborts the transfer within a second.
    func perform(_ transfer: Transfer, cancellation: CancellationFlag) throws(DeliveryError) -> Response {
        lock.lock()
        defer { lock.unlock() }
        let handle = try easyHandle()
        optoutd_curl_easy_reset(handle)
        let body = BodyReader(transfer.body)
        let answer = AnswerCollector(redacting: transfer.redactions)
        if transfer.username != nil, transfer.url.hasPrefix("smtp") {
            answer.login = SMTPAuthenticationWatch(takesStartTLS: transfer.useTLS != Int(CURLUSESSL_NONE.rawValue))
        }
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer {
            // The handle outlives this call: it must not keep pointing at the buffer.
            optoutd_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, nil)
            errorText.deallocate()
        }
        optoutd_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorText)
        var lists: [UnsafeMutablePointer<curl_slist>?] = []
        defer { lists.forEach { optoutd_curl_slist_free_all($0) } }
        func list(_ items: [String]) -> UnsafeMutableRawPointer? {
            var list: UnsafeMutablePointer<curl_slist>?
            for item in items { list = optoutd_curl_slist_append(list, item) }
            lists.append(list)
            return UnsafeMutableRawPointer(list)
        }
        optoutd_curl_set_string(handle, CURLOPT_URL, transfer.url)
        optoutd_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        optoutd_curl_set_long(handle, CURLOPT_TIMEOUT, transfer.timeoutSeconds)
        optoutd_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, min(transfer.timeoutSeconds, 15))
        optoutd_curl_set_long(handle, CURLOPT_USE_SSL, transfer.useTLS)
        if let caFile = transfer.caFile { optoutd_curl_set_string(handle, CURLOPT_CAINFO, caFile) }
        if let username = transfer.username { optoutd_curl_set_string(handle, CURLOPT_USERNAME, username) }
        if let password = transfer.password { optoutd_curl_set_string(handle, CURLOPT_PASSWORD, password) }
        if !transfer.headers.isEmpty { optoutd_curl_set_pointer(handle, CURLOPT_HTTPHEADER, list(transfer.headers)) }
        if let from = transfer.mailFrom { optoutd_curl_set_string(handle, CURLOPT_MAIL_FROM, from) }
        if !transfer.mailRecipients.isEmpty {
            optoutd_curl_set_pointer(handle, CURLOPT_MAIL_RCPT, list(transfer.mailRecipients))
        }
        if transfer.upload {
            if transfer.url.hasPrefix("http") {
                optoutd_curl_set_long(handle, CURLOPT_POST, 1)
                optoutd_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, transfer.body.count)
            } else {
                optoutd_curl_set_long(handle, CURLOPT_UPLOAD, 1)
            }
            optoutd_curl_set_function(handle, CURLOPT_READFUNCTION) { buffer, size, count, userdata in
                Unmanaged<BodyReader>.fromOpaque(userdata!).takeUnretainedValue().read(
                    into: buffer!, capacity: size * count)
            }
            optoutd_curl_set_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(body).toOpaque())
        }
        // The start of the body is kept for error messages; the rest is read and dropped.
        // Header lines (for SMTP: the server's replies) are looked at for an error reply, and
        // for whether the server offers to log in; a zero return aborts the transfer.
        optoutd_curl_set_function(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, userdata in
            Unmanaged<AnswerCollector>.fromOpaque(userdata!).takeUnretainedValue().body.append(
                UnsafeRawBufferPointer(start: buffer, count: size * count))
            return size * count
        }
        optoutd_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(answer).toOpaque())
        optoutd_curl_set_function(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, userdata in
            let goOn = Unmanaged<AnswerCollector>.fromOpaque(userdata!).takeUnretainedValue().header(
                UnsafeRawBufferPointer(start: buffer, count: size * count))
            return goOn ? size * count : 0
        }
        optoutd_curl_set_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(answer).toOpaque())
        // libcurl asks at least once a second whether to go on, also while it waits for an
        // answer: a nonzero return aborts the transfer.
        optoutd_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        optoutd_curl_set_progress(handle) { userdata in
            Unmanaged<CancellationFlag>.fromOpaque(userdata!).takeUnretainedValue().isRaised ? 1 : 0
        }
        optoutd_curl_set_pointer(handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(cancellation).toOpaque())
        let result = withExtendedLifetime((body, cancellation, answer)) { optoutd_curl_easy_perform(handle) }
        if result == CURLE_ABORTED_BY_CALLBACK {
            throw DeliveryError("the transfer was stopped: optoutd is stopping", cancelled: true)
        }
        if answer.offersNoLogin {
            // Not to be reused: the connection stopped halfway through its SMTP dialogue.
            optoutd_curl_easy_cleanup(handle)
            self.handle = nil
            let hint =
                answer.login?.offersLoginOnlyAfterStartTLS == true
                ? "it offers STARTTLS, which starttls: off does not use (set starttls: required)"
                : "is this the submission port (587, or 465 with smtps://)?"
            throw DeliveryError(
                "the server does not offer to log in (no AUTH in its EHLO reply), so the username would go unused; nothing was sent: \(hint)"
            )
        }
        guard result == CURLE_OK else {
            // libcurl's own detail ("response reading failed (errno: 115)") after what kind of
            // failure it is ("Failure when receiving data from the peer"), unless it says that.
            let detail = String(cString: errorText)
            let kind = String(cString: optoutd_curl_easy_strerror(result))
            var text = detail.isEmpty || detail.contains(kind) ? (detail.isEmpty ? kind : detail) : "\(kind): \(detail)"
            if let reply = answer.errorReply?.text, !text.contains(reply) { text += " (the server said: \(reply))" }
            throw DeliveryError(transfer.redacted(text))
        }
        return Response(code: optoutd_curl_response_code(handle), body: answer.body)
    }

    /// Collects what a server answers: the start of the body, and the last header line
    /// that reads as an error reply (`4xx` or `5xx`, as SMTP servers refuse); with a
    /// `login` to watch, whether the server offers none.
    private final class AnswerCollector {
        private let redactions: [String]
        var body: ServerReply
        var errorReply: ServerReply?
        var login: SMTPAuthenticationWatch?
        private(set) var offersNoLogin = false

        init(redacting redactions: [String]) {
            self.redactions = redactions
            body = ServerReply(redacting: redactions)
        }

        /// Takes one header line; false when the transfer is to stop.
        func header(_ line: UnsafeRawBufferPointer) -> Bool {
            if login?.take(line) == false {
                offersNoLogin = true
                return false
            }
            guard let first = line.first, first == UInt8(ascii: "4") || first == UInt8(ascii: "5") else { return true }
            var reply = ServerReply(redacting: redactions)
            reply.append(line)
            errorReply = reply
            return true
        }
    }

    /// Hands a body to libcurl's read callback in pieces.
    private final class BodyReader {
        let bytes: [UInt8]
        var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
            let count = min(capacity, bytes.count - offset)
            bytes.withUnsafeBufferPointer { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
    }
}
