import Wire
import NIOCore
import NIOHTTP1

/// A response as the client sees it.
public struct ClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
}

/// Why a request got no HTTP response.
public enum ClientFailure: Error, Sendable, Equatable {
    case connect(String)
    case timeout
    case io(String)
}

/// One keep-alive HTTP/1.1 connection carrying one request at a time.
///
/// Requests are written and responses completed on the channel's event loop; the only state is the
/// handler's in-flight promise, so there is no lock on the hot path.
final class HTTPClientConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ResponseHandler>

    init(channel: any Channel, handler: ResponseHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// Whether the connection can take another request: a connection that must not is closed by its
    /// handler before the request's future completes, and `isActive` may be read from any thread.
    var isReusable: Bool { channel.isActive }

    /// Sends one request, encoded into one buffer (`RequestHead`); the future fails with `ClientFailure`.
    func execute(_ head: RequestHead, headers: [(String, String)], body: [UInt8], timeout: TimeAmount) -> EventLoopFuture<ClientResponse> {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: ClientResponse.self)
        let handler = self.handler
        let channel = self.channel
        let send = {
            handler.value.begin(promise, timeout: timeout, channel: channel)
            let request = head.encode(headers: headers, body: body, allocator: channel.allocator)
            channel.write(HTTPClientRequestPart.head(head.decoderHead), promise: nil)  // for the response decoder
            channel.writeAndFlush(HTTPClientRequestPart.body(.byteBuffer(request)), promise: nil)
        }
        if loop.inEventLoop { send() } else { loop.execute(send) }
        return promise.futureResult
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Collects one response at a time and completes the in-flight promise.
final class ResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// A response body past this is refused and the connection closed: an endless body must not fill memory.
    private let maxBodyBytes: Int
    private var promise: EventLoopPromise<ClientResponse>?
    /// When the request in flight times out.
    private var deadline: NIODeadline?
    /// The earliest time a timer is set for. Timers are never cancelled: one fires, finds the request it
    /// was set for long answered, and sets the next for the request now in flight. Cancelling one per
    /// request cost a linear search of the event loop's timer heap (thousands of entries at load).
    private var timerAt: NIODeadline?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    func begin(_ promise: EventLoopPromise<ClientResponse>, timeout: TimeAmount, channel: any Channel) {
        guard self.promise == nil, channel.isActive else {
            promise.fail(ClientFailure.io("connection not usable"))
            return
        }
        self.promise = promise
        head = nil
        body.removeAll(keepingCapacity: true)
        let deadline = NIODeadline.now() + timeout
        self.deadline = deadline
        setTimer(for: deadline, channel: channel)
    }

    private func setTimer(for deadline: NIODeadline, channel: any Channel) {
        if let timerAt, timerAt <= deadline { return }  // one will fire in time and look again
        timerAt = deadline
        channel.eventLoop.scheduleTask(deadline: deadline) { [weak self] in self?.timerFired(channel: channel) }
    }

    private func timerFired(channel: any Channel) {
        let now = NIODeadline.now()
        if let timerAt, timerAt <= now { self.timerAt = nil }
        guard promise != nil, let deadline else { return }
        if deadline <= now {
            fail(.timeout, closing: channel)
        } else {
            setTimer(for: deadline, channel: channel)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= maxBodyBytes else {
                fail(.io("the response body is over \(maxBodyBytes) bytes"), closing: context.channel)
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head, let promise else { return }
            deadline = nil
            self.promise = nil
            if !head.isKeepAlive { context.close(promise: nil) }
            promise.succeed(ClientResponse(status: Int(head.status.code), headers: head.headers, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.io("connection closed by peer"), closing: context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.io(String(describing: error)), closing: context.channel)
    }

    /// Fails the request in flight after closing the connection, so that whoever the failure wakes finds
    /// it inactive and never reuses it. The promise is taken first: the close's `channelInactive` finds
    /// none and does not overwrite the reason.
    private func fail(_ failure: ClientFailure, closing channel: any Channel) {
        deadline = nil
        let p = promise
        promise = nil
        channel.close(promise: nil)
        p?.fail(failure)
    }
}
