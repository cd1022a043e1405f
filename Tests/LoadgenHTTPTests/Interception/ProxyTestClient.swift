import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A response as the test client read it.
struct ProxyTestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String
}

/// A client that goes through a forward proxy as a bot does: `CONNECT host:port`, then TLS trusting only
/// the roots it is given (or plain HTTP through a tunnel), then one HTTP/1.1 request; or one plain
/// absolute-form request with no `CONNECT` at all.
enum ProxyTestClient {
    static let group = MultiThreadedEventLoopGroup.singleton

    /// Connects to the proxy and sends `CONNECT target`; the proxy's answer as text (its head for a 200,
    /// everything until it closed otherwise).
    static func connect(proxyPort: Int, to target: String) async throws -> (channel: any Channel, answer: String) {
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: proxyPort).get()
        let answer = try await channel.eventLoop.submit { () throws -> EventLoopFuture<String> in
            let promise = channel.eventLoop.makePromise(of: String.self)
            try channel.pipeline.syncOperations.addHandler(AnswerReader(promise), name: "answer")
            channel.pipeline.syncOperations.writeAndFlush(
                NIOAny(channel.allocator.buffer(string: "CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n\r\n")), promise: nil)
            return promise.futureResult
        }.get()
        return (channel, try await answer.get())
    }

    /// One request on `channel` (after a `CONNECT`, or fresh), over TLS for `serverName` trusting only
    /// `trust` when it is given.
    static func request(
        on channel: any Channel, trust: [NIOSSLCertificate]? = nil, serverName: String = "graph.facebook.com",
        _ method: HTTPMethod, _ uri: String, headers: HTTPHeaders = [:], body: String = ""
    ) async throws -> ProxyTestResponse {
        let context = try trust.map { roots in
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates(roots)
            return try NIOSSLContext(configuration: configuration)
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
        head.headers.replaceOrAdd(name: "Host", value: serverName)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(body.utf8.count))
        let sent = head
        let response = try await channel.eventLoop.submit { () throws -> EventLoopFuture<ProxyTestResponse> in
            let sync = channel.pipeline.syncOperations
            if (try? sync.context(name: "answer")) != nil { sync.removeHandler(name: "answer", promise: nil) }
            if let context { try sync.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverName)) }
            try sync.addHTTPClientHandlers()
            let promise = channel.eventLoop.makePromise(of: ProxyTestResponse.self)
            try sync.addHandler(ResponseReader(promise))
            sync.write(NIOAny(HTTPClientRequestPart.head(sent)), promise: nil)
            sync.write(NIOAny(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(string: body)))), promise: nil)
            sync.writeAndFlush(NIOAny(HTTPClientRequestPart.end(nil)), promise: nil)
            return promise.futureResult
        }.get()
        return try await response.get()
    }

    /// A plain request straight to the proxy (absolute-form `uri`).
    static func plain(proxyPort: Int, _ method: HTTPMethod, _ uri: String, headers: HTTPHeaders = [:], body: String = "") async throws
        -> ProxyTestResponse
    {
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: proxyPort).get()
        defer { channel.close(promise: nil) }
        return try await request(on: channel, serverName: "graph.facebook.com", method, uri, headers: headers, body: body)
    }
}

/// The proxy's answer to `CONNECT`: complete at the blank line of a 200, else when the proxy closes.
private final class AnswerReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private var seen = ""
    private var promise: EventLoopPromise<String>?

    init(_ promise: EventLoopPromise<String>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        seen += String(buffer: unwrapInboundIn(data))
        if seen.hasPrefix("HTTP/1.1 200"), seen.contains("\r\n\r\n") { finish(.success(seen)) }
    }

    func channelInactive(context: ChannelHandlerContext) { finish(.success(seen)) }
    func errorCaught(context: ChannelHandlerContext, error: any Error) { finish(.failure(error)) }
    func handlerRemoved(context: ChannelHandlerContext) { finish(.failure(ChannelError.ioOnClosedChannel)) }

    private func finish(_ result: Result<String, any Error>) {
        promise?.completeWith(result)
        promise = nil
    }
}

/// One HTTP response, or why there was none (a TLS handshake that failed, a connection that closed).
private final class ResponseReader: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private var head: HTTPResponseHead?
    private var body = ""
    private var promise: EventLoopPromise<ProxyTestResponse>?

    init(_ promise: EventLoopPromise<ProxyTestResponse>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body(let b): body += String(buffer: b)
        case .end:
            if let head { finish(.success(ProxyTestResponse(status: Int(head.status.code), headers: head.headers, body: body))) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) { finish(.failure(ChannelError.eof)) }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<ProxyTestResponse, any Error>) {
        promise?.completeWith(result)
        promise = nil
    }
}
