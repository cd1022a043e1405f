import Wire
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request as the embedded servers see it: head and whole body.
public struct ServerRequest: Sendable {
    public var method: HTTPMethod
    /// The request target, e.g. `/webhook?hub.mode=subscribe`.
    public var uri: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// True when the body was larger than the server's limit (and was not kept).
    public var bodyTooLarge: Bool
    /// When the last byte of the request arrived: timestamps taken here, not after the handler is
    /// scheduled, keep measured latencies free of the server's own queueing.
    public var receivedAt: ContinuousClock.Instant
    /// When the caller stops waiting, for a request handed over in process (like gRPC's propagated
    /// deadline): a responder that would wait past it stops waiting then. nil for requests off the wire.
    public var deadline: ContinuousClock.Instant? = nil

    public init(
        method: HTTPMethod, uri: String, headers: HTTPHeaders = [:], body: [UInt8] = [], bodyTooLarge: Bool = false,
        receivedAt: ContinuousClock.Instant = .now
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.receivedAt = receivedAt
    }

    /// The path without the query.
    public var path: Substring { uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }

    /// Query parameters, percent-decoded (`+` as space).
    public var query: [String: String] {
        guard let q = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[PercentDecoding.decode(kv[0])] = kv.count > 1 ? PercentDecoding.decode(kv[1]) : ""
        }
        return out
    }
}

/// A response from a responder.
public struct ServerResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response.
    public static func text(_ status: HTTPResponseStatus, _ text: String, headers: HTTPHeaders = [:]) -> ServerResponse {
        var h = headers
        h.replaceOrAdd(name: "Content-Type", value: "text/plain; charset=utf-8")
        return ServerResponse(status: status, headers: h, body: Array(text.utf8))
    }

    /// No response at all: the server closes the connection (a connection reset, as a fault).
    public static let dropConnection = ServerResponse(status: .custom(code: 599, reasonPhrase: "loadgen: drop connection"))

    /// Whether this is `dropConnection`.
    public var dropsConnection: Bool { status.code == 599 && status.reasonPhrase == "loadgen: drop connection" }

    /// A JSON response from bytes already encoded.
    public static func json(_ status: HTTPResponseStatus, _ body: [UInt8], headers: HTTPHeaders = [:]) -> ServerResponse {
        var h = headers
        h.replaceOrAdd(name: "Content-Type", value: "application/json")
        return ServerResponse(status: status, headers: h, body: body)
    }
}

/// Answers requests. One method, so servers, stand-ins and test doubles are interchangeable.
public protocol HTTPResponder: Sendable {
    func respond(to request: ServerRequest) async -> ServerResponse
}

/// A small HTTP/1.1 server on SwiftNIO: keep-alive, a body size limit, one child task per connection.
///
/// `bind` opens the socket (port 0 picks a free one; `port` tells which); `run` serves until its task
/// is cancelled, then closes the listener and every connection.
public final class HTTPServer: Sendable {
    /// The address the server listens on.
    public let host: String
    public let port: Int
    private let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let maxBodyBytes: Int

    private init(host: String, port: Int, maxBodyBytes: Int,
                 channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.channel = channel
    }

    /// Binds `host:port`. Throws `BindError` with a clear message when the address is taken or invalid.
    public static func bind(
        host: String, port: Int, maxBodyBytes: Int = 3 * 1024 * 1024,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPServer {
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 4096)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try ConnectionWrapper.wrap(child) as NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
                    }
                }
            let bound = channel.channel.localAddress?.port ?? port
            return HTTPServer(host: host, port: bound, maxBodyBytes: maxBodyBytes, channel: channel)
        } catch {
            throw BindError(address: "\(host):\(port)", reason: String(describing: error))
        }
    }

    /// `http://host:port`, with IPv6 hosts bracketed.
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Serves requests until the calling task is cancelled.
    public func run(_ responder: some HTTPResponder) async {
        let limit = maxBodyBytes
        try? await channel.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    group.addTask { try? await Self.serve(connection, responder: responder, maxBodyBytes: limit) }
                }
            }
        }
    }

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
/// which `serve` does for every connection it receives. (One deprecation warning, on purpose; the intercepting proxy wraps its connections the same way.)
enum ConnectionWrapper {
    static func wrap<Inbound: Sendable, Outbound: Sendable>(_ child: any Channel) throws -> NIOAsyncChannel<Inbound, Outbound> {
        try NIOAsyncChannel(synchronouslyWrapping: child)
    }
}

/// The server could not listen where asked.
public struct BindError: Error, CustomStringConvertible {
    public var address: String
    public var reason: String
    public var description: String { "cannot listen on \(address): \(reason)" }
}

/// Percent-decoding for query strings.
enum PercentDecoding {
    static func decode(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "+") { bytes.append(UInt8(ascii: " ")) }
            else if c == UInt8(ascii: "%"), let h = it.next(), let l = it.next(), let v = hexValue(h, l) { bytes.append(v) }
            else { bytes.append(c) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ h: UInt8, _ l: UInt8) -> UInt8? {
        func nib(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 65...70: c - 55
            case 97...102: c - 87
            default: nil
            }
        }
        guard let a = nib(h), let b = nib(l) else { return nil }
        return a << 4 | b
    }
}
