import CCurl
import Foundation

/// One libcurl easy handle: a connection that is kept and reused between transfers.
///
/// Not for concurrent use; a channel that owns one runs its transfers one at a time.
final class Curl: @unchecked Sendable {
    /// libcurl is loaded with the first handle (see CCurl).
    private static let loaded = optoutd_curl_load() == 1

    private let handle: UnsafeMutableRawPointer
    private let lock = NSLock()

    init() {
        precondition(Self.loaded, "libcurl (libcurl.so.4) could not be loaded and initialized")
        handle = optoutd_curl_easy_init()
    }

    deinit {
        optoutd_curl_easy_cleanup(handle)
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
    }

    /// Performs a transfer; returns the response code, or throws libcurl's error text.
    func perform(_ transfer: Transfer) throws(DeliveryError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        optoutd_curl_easy_reset(handle)
        let body = BodyReader(transfer.body)
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
        // Response bodies are not needed: discard them.
        optoutd_curl_set_function(handle, CURLOPT_WRITEFUNCTION) { _, size, count, _ in size * count }
        let result = withExtendedLifetime(body) { optoutd_curl_easy_perform(handle) }
        guard result == CURLE_OK else {
            throw DeliveryError(String(cString: optoutd_curl_easy_strerror(result)))
        }
        return optoutd_curl_response_code(handle)
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

/// Runs blocking work (a transfer, a child process) on a thread of its own, so that
/// waiting for the network never holds one of the few task threads.
func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () throws(DeliveryError) -> Value)
    async throws(DeliveryError) -> Value
{
    let result: Result<Value, DeliveryError> = await withCheckedContinuation { continuation in
        Thread {
            do throws(DeliveryError) {
                continuation.resume(returning: .success(try work()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }.start()
    }
    return try result.get()
}
