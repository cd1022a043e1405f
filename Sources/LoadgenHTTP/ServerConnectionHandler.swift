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
    /// Answers a request in a task of the server's, then calls `reply` (from any thread).
    private let answerLater: @Sendable (ServerRequest, _ reply: @escaping @Sendable (ServerResponse) -> Void) -> Void
    private var assembly: RequestAssembly

    init(
        responder: Responder, maxBodyBytes: Int,
        answerLater: @escaping @Sendable (ServerRequest, _ reply: @escaping @Sendable (ServerResponse) -> Void) -> Void
    ) {
        self.responder = responder
        assembly = RequestAssembly(maxBodyBytes: maxBodyBytes)
        self.answerLater = answerLater
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let request = assembly.take(unwrapInboundIn(data)), let version = assembly.head?.version else { return }
        let keepAlive = assembly.keepAlive
        if let response = responder.respondAtOnce(to: request) {
            Self.write(response, version: version, keepAlive: keepAlive, context: context)
            return
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        answerLater(request) { response in
            bound.eventLoop.execute { Self.write(response, version: version, keepAlive: keepAlive, context: bound.value) }
        }
    }

    /// Writes `response`, or closes the connection without a byte for `dropConnection` (a reset, as a fault).
    private static func write(_ response: ServerResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if response.dropsConnection {
            context.close(promise: nil)
            return
        }
        let parts = response.parts(version: version, keepAlive: keepAlive, allocator: context.channel.allocator)
        context.write(NIOAny(parts[0]), promise: nil)
        context.write(NIOAny(parts[1]), promise: nil)
        if keepAlive {
            context.writeAndFlush(NIOAny(parts[2]), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(NIOAny(parts[2])).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
