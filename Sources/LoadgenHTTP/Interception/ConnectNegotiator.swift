import NIOCore
import NIOHTTP1
import NIOSSL

/// What a proxy connection turned out to be, once its first request was read.
enum ProxiedConnection: Sendable {
    /// `CONNECT` to an intercepted host: TLS terminated with a leaf for `host`, HTTP/1.1 inside.
    case intercepted(host: String, NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    /// Plain proxy requests (absolute-form `POST http://host/path`), this first one included.
    case plain(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    /// `CONNECT` to an allowed host: still speaking HTTP, answered once the host is reached (or not).
    case tunnel(host: String, port: Int, any Channel)
    /// `CONNECT` to any other host: answered 403 and closed.
    case refused(host: String, port: Int)
    /// A `CONNECT` whose target is not `host:port`: answered 400 and closed.
    case malformed
}

/// Reads a proxy connection's first request and turns the connection into what it asks for, on its event
/// loop, before another byte is read: for an intercepted host the answer `200 Connection established`,
/// then a TLS server handler and an HTTP/1.1 codec where the proxy's request decoder was (the decoder
/// leaves last, so bytes a client sent early go on to TLS); a refusal answered; a tunnel or plain
/// requests handed over as they are. The outcome completes `promise`, which the proxy awaits.
final class ConnectNegotiator: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let decoderName = "proxy-request-decoder"
    static let encoderName = "proxy-response-encoder"
    static let name = "proxy-negotiator"
    /// What a client reads before its tunnel starts. Written raw: NIO's encoder would frame a 200 with a body.
    static let established = "HTTP/1.1 200 Connection established\r\n\r\n"

    private let policy: ProxyPolicy
    private let tls: [String: NIOSSLContext]
    private let promise: EventLoopPromise<ProxiedConnection>
    private var target: (host: String, port: Int)?
    private var settled = false

    init(policy: ProxyPolicy, tls: [String: NIOSSLContext], promise: EventLoopPromise<ProxiedConnection>) {
        self.policy = policy
        self.tls = tls
        self.promise = promise
    }

    /// The handlers a proxy connection starts with.
    static func install(on channel: any Channel, policy: ProxyPolicy, tls: [String: NIOSSLContext]) throws -> EventLoopFuture<ProxiedConnection> {
        let promise = channel.eventLoop.makePromise(of: ProxiedConnection.self)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)), name: decoderName)
        try sync.addHandler(HTTPResponseEncoder(), name: encoderName)
        try sync.addHandler(ConnectNegotiator(policy: policy, tls: tls, promise: promise), name: name)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !settled else { return }
        switch unwrapInboundIn(data) {
        case .head(let head) where head.method == .CONNECT:
            guard let authority = ProxyPolicy.authority(head.uri) else {
                return answer(context, .badRequest, "loadgen's graph proxy: CONNECT needs a HOST:PORT target (got '\(head.uri)')", then: .malformed)
            }
            target = authority
        case .head:
            handOverPlain(context, first: data)
        case .body:
            break
        case .end:
            guard let (host, port) = target else { return }
            switch policy.route(host: host, port: port) {
            case .intercept: intercept(context, host: host, port: port)
            case .tunnel: settle(.tunnel(host: host, port: port, context.channel))
            case .refuse(let reason): answer(context, .forbidden, reason, then: .refused(host: host, port: port))
            }
        }
    }

    /// Terminates TLS for `host` on this connection and hands its HTTP/1.1 over.
    private func intercept(_ context: ChannelHandlerContext, host: String, port: Int) {
        guard let serverContext = tls[host.lowercased()] else {
            return answer(context, .forbidden, "loadgen's graph proxy has no certificate for \(host)", then: .refused(host: host, port: port))
        }
        let channel = context.channel
        let sync = context.pipeline.syncOperations
        do {
            let decoder = try sync.context(name: Self.decoderName).handler
            sync.removeHandler(name: Self.encoderName, promise: nil)
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: Self.established)), promise: nil)
            let ssl = NIOSSLServerHandler(context: serverContext)
            try sync.addHandler(ssl, position: .after(decoder))
            try sync.configureHTTPServerPipeline(position: .after(ssl), withPipeliningAssistance: false, withErrorHandling: true)
            settled = true
            sync.removeHandler(context: context, promise: nil)
            let http: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart> = try ConnectionWrapper.wrap(channel)
            sync.removeHandler(name: Self.decoderName, promise: nil)  // last: what it still holds goes on to TLS
            promise.succeed(.intercepted(host: host, http))
        } catch {
            fail(context, error)
        }
    }

    /// A plain request: from here on the connection is ordinary HTTP, this head included.
    private func handOverPlain(_ context: ChannelHandlerContext, first head: NIOAny) {
        do {
            let http: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart> = try ConnectionWrapper.wrap(context.channel)
            settled = true
            context.fireChannelRead(head)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            promise.succeed(.plain(http))
        } catch {
            fail(context, error)
        }
    }

    /// Answers with `status` and a one-line `reason`, closes, and settles on `outcome`.
    private func answer(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ reason: String, then outcome: ProxiedConnection) {
        settle(outcome)
        let body = context.channel.allocator.buffer(string: reason + "\n")
        let headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "Content-Length": String(body.readableBytes), "Connection": "close"]
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func settle(_ outcome: ProxiedConnection) {
        guard !settled else { return }
        settled = true
        promise.succeed(outcome)
    }

    private func fail(_ context: ChannelHandlerContext, _ error: any Error) {
        if !settled {
            settled = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { fail(context, error) }

    func channelInactive(context: ChannelHandlerContext) {
        if !settled { fail(context, ChannelError.eof) }
        context.fireChannelInactive()
    }

    /// The promise is always kept: a connection torn down before its first request ends fails it.
    func handlerRemoved(context: ChannelHandlerContext) {
        if !settled {
            settled = true
            promise.fail(ChannelError.ioOnClosedChannel)
        }
    }
}
