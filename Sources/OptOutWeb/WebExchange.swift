import NIOHTTP1

/// A request as the site sees it: whole, its body read within the server's limits.
public struct WebRequest: Sendable {
    public var method: HTTPMethod
    /// The path, without the query.
    public var path: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: HTTPMethod, path: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// What the site answers; the server adds the headers every answer carries.
public struct WebResponse: Sendable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: [UInt8]
    public var headers: [(name: String, value: String)]

    public init(
        _ status: HTTPResponseStatus, contentType: String = "text/html; charset=utf-8", body: [UInt8],
        headers: [(name: String, value: String)] = []
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    public static func html(_ status: HTTPResponseStatus, _ page: String) -> WebResponse {
        WebResponse(status, body: Array(page.utf8))
    }

    public static func text(_ status: HTTPResponseStatus, _ text: String) -> WebResponse {
        WebResponse(status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }
}
