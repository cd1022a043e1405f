import NIOCore
import NIOHTTP1

/// One connection's requests: collects each request's head and body (up to the limit), asks the
/// responder for an answer at once, or has `run`'s task group answer it, and writes the response.
/// NIO's server pipeline (`HTTPServerPipelineHandler`) holds a pipelined next request back until the
/// response to this one has ended, so responses go out in order.
final class ServerConnectionHandler<Responder: HTTPResponder>: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: Responder
    private let maxBodyBytes: Int
    /// Answers a request in a task of the server's, then calls `reply` (from any thread).
    private let answerLater: @Sendable (ServerRequest, _ reply: @escaping @Sendable (ServerResponse) -> Void) -> Void
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(
        responder: Responder, maxBodyBytes: Int,
        answerLater: @escaping @Sendable (ServerRequest, _ reply: @escaping @Sendable (ServerResponse) -> Void) -> Void
    ) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
        self.answerLater = answerLater
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
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
            guard let h = head else { return }
            head = nil
            let request = ServerRequest(method: h.method, uri: h.uri, headers: h.headers, body: tooLarge ? [] : body, bodyTooLarge: tooLarge,
                                        receivedAt: receivedAt)
            let keepAlive = h.isKeepAlive && !tooLarge
            if let response = responder.respondAtOnce(to: request) {
                Self.write(response, version: h.version, keepAlive: keepAlive, context: context)
                return
            }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            answerLater(request) { response in
                bound.eventLoop.execute { Self.write(response, version: h.version, keepAlive: keepAlive, context: bound.value) }
            }
        }
    }

    /// Writes `response`, or closes the connection without a byte for `dropConnection` (a reset, as a fault).
    private static func write(_ response: ServerResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if response.dropsConnection {
            context.close(promise: nil)
            return
        }
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: response.status, headers: headers))),
                      promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        if keepAlive {
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
