import NIOCore
import NIOHTTP1

/// A connection served as an async channel, one request after another: what the intercepting proxy
/// does with a connection once it has negotiated it (the decrypted side of a `CONNECT`). The server's
/// own connections take the cheaper path of `ServerConnectionHandler`.
extension HTTPServer {
    /// Answers the requests of one connection in turn until it closes; throws what broke it (the intercepting
    /// proxy tells a TLS handshake the client refused from a connection that merely ended).
    static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, responder: some HTTPResponder,
        maxBodyBytes: Int
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            var tooLarge = false
            for try await part in inbound {
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
                    guard let h = head else { continue }
                    let request = ServerRequest(method: h.method, uri: h.uri, headers: h.headers,
                                                body: tooLarge ? [] : body, bodyTooLarge: tooLarge, receivedAt: receivedAt)
                    let response = await responder.respond(to: request)
                    if response.dropsConnection { return }  // closes without a byte: the caller sees a reset
                    let keepAlive = h.isKeepAlive && !tooLarge
                    var headers = response.headers
                    headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                    if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
                    var buffer = connection.channel.allocator.buffer(capacity: response.body.count)
                    buffer.writeBytes(response.body)
                    try await outbound.write(contentsOf: [
                        .head(HTTPResponseHead(version: h.version, status: response.status, headers: headers)),
                        .body(.byteBuffer(buffer)), .end(nil),
                    ])
                    if !keepAlive { return }
                }
            }
        }
    }
}

/// Wraps accepted connections so that one accepted while the server shuts down, and so never handed
/// to a handler, is closed when dropped. `wrappingChannelSynchronously` traps on such a drop (even in
/// release builds); the close-on-deinit initialiser is deprecated only because scoped use is preferred,
/// which `serve` does for every connection it receives. (One deprecation warning, on purpose.)
enum ConnectionWrapper {
    static func wrap<Inbound: Sendable, Outbound: Sendable>(_ child: any Channel) throws -> NIOAsyncChannel<Inbound, Outbound> {
        try NIOAsyncChannel(synchronouslyWrapping: child)
    }
}

