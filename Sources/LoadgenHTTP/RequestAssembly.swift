import NIOCore
import NIOHTTP1

/// A request put together from its parts as they arrive: the head, the body up to a limit (past it the
/// body is dropped and the request marked too large), and at the end the whole `ServerRequest`, stamped
/// with the instant its last byte came. What both of the server's ways of reading a connection share.
struct RequestAssembly {
    let maxBodyBytes: Int
    private(set) var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    /// Takes one part; the request when `part` ended one (nil before, or for an end without a head).
    mutating func take(_ part: HTTPServerRequestPart) -> ServerRequest? {
        switch part {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
            tooLarge = false
        case .body(let buffer):
            if body.count + buffer.readableBytes > maxBodyBytes { tooLarge = true } else {
                body.append(contentsOf: buffer.readableBytesView)
            }
        case .end:
            let receivedAt = ContinuousClock.now
            guard let h = head else { return nil }
            return ServerRequest(method: h.method, uri: h.uri, headers: h.headers, body: tooLarge ? [] : body, bodyTooLarge: tooLarge,
                                 receivedAt: receivedAt)
        }
        return nil
    }

    /// Whether the connection may carry another request after this one's response.
    var keepAlive: Bool { (head?.isKeepAlive ?? false) && !tooLarge }
}

extension ServerResponse {
    /// The response as its head (with `Content-Length`, and `Connection: close` when the connection ends
    /// after it), body and end.
    func parts(version: HTTPVersion, keepAlive: Bool, allocator: ByteBufferAllocator) -> [HTTPServerResponsePart] {
        var headers = self.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        var buffer = allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        return [.head(HTTPResponseHead(version: version, status: status, headers: headers)), .body(.byteBuffer(buffer)), .end(nil)]
    }
}
