import Wire
import NIOCore
import NIOHTTP1

/// A response as the client sees it.
public struct ClientResponse: Sendable {
    public var status: Int
    /// The header fields as they came, parsed into `headers` only when asked: most callers read the
    /// status alone, and building `HTTPHeaders` for every response was a good part of reading one.
    private var fields: Bytes
    private var given: HTTPHeaders?
    private var content: Bytes
    /// When the client had read and parsed it, on its connection's event loop (nil: not read by the
    /// client). The caller resumes later — at once on a machine with room; when the process is short of
    /// CPU, after the loop has run everything else it had to run — and the difference is loadgen's own
    /// delay, not the server's.
    public var received: NIODeadline?

    /// Bytes of a response: an array, or a slice of the buffer they were read into, copied out only when
    /// asked (a webhook's ack is read for its status alone; copying its fields and body was two allocations
    /// a request). A slice keeps that buffer: a response is dropped once read, not kept.
    enum Bytes: Sendable {
        case array([UInt8])
        case slice(ByteBuffer)

        var array: [UInt8] {
            switch self {
            case .array(let bytes): bytes
            case .slice(let buffer): Array(buffer.readableBytesView)
            }
        }
    }

    /// The body (copied out of the bytes read, at each call).
    public var body: [UInt8] {
        get { content.array }
        set { content = .array(newValue) }
    }

    public var headers: HTTPHeaders {
        get { given ?? Fields.headers(fields.array) }
        set { given = newValue }
    }

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        content = .array(body)
        fields = .array([])
        given = headers
    }

    /// A response with its header lines as they came (`CRLF`- or `LF`-ended, unfolded).
    init(status: Int, fields: Bytes, body: Bytes) {
        self.status = status
        content = body
        self.fields = fields
    }
}

/// Why a request got no HTTP response.
public enum ClientFailure: Error, Sendable, Equatable {
    case connect(String)
    case timeout
    case io(String)
}

/// One keep-alive HTTP/1.1 connection carrying one request at a time.
///
/// Requests are written and responses read on the channel's event loop; the only state is the handler's
/// request in flight, so there is no lock on the hot path.
final class HTTPClientConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ResponseHandler>

    init(channel: any Channel, handler: ResponseHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// Whether the connection can take another request: a connection that must not is closed by its
    /// handler before the request's caller resumes, and `isActive` may be read from any thread.
    var isReusable: Bool { channel.isActive }

    /// Sends one request, encoded into one buffer (`RequestHead`), and returns its response.
    func execute(
        _ head: RequestHead, header: (name: String, value: String)?, body: [UInt8], by deadline: NIODeadline
    ) async -> Result<ClientResponse, ClientFailure> {
        let loop = channel.eventLoop
        let handler = self.handler
        return await withUnsafeContinuation { caller in
            if loop.inEventLoop {
                handler.value.send(head, header: header, body: body, by: deadline, caller: caller)
            } else {
                loop.execute { handler.value.send(head, header: header, body: body, by: deadline, caller: caller) }
            }
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Writes a connection's requests and reads their responses (`ResponseParser`), one at a time, and
/// resumes each request's caller with its response or why there is none.
final class ResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    typealias Caller = UnsafeContinuation<Result<ClientResponse, ClientFailure>, Never>

    private var parser: ResponseParser
    /// The buffer requests are written into, one after another (`RequestHead.encode`).
    private var out = ByteBuffer()
    private var caller: Caller?
    private var context: ChannelHandlerContext?
    /// When the request in flight times out.
    private var deadline: NIODeadline?
    /// The earliest time a timer is set for. Timers are never cancelled: one fires, finds the request it
    /// was set for long answered, and sets the next for the request now in flight. Cancelling one per
    /// request cost a linear search of the event loop's timer heap (thousands of entries at load).
    private var timerAt: NIODeadline?
    /// Why the connection broke while no request was in flight (a TLS handshake that failed before the
    /// first request, a reset): the next request is told that, not only that the connection is unusable.
    private var brokeIdle: ClientFailure?

    init(maxBodyBytes: Int) { parser = ResponseParser(maxBodyBytes: maxBodyBytes) }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    /// Gone from a closed channel: its request buffer is let go at once, since a timer may hold the handler
    /// until a request's timeout.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        out = ByteBuffer()
    }

    /// Writes `head`'s request with `header` and `body`, and waits for its response until `deadline`, for `caller`.
    func send(_ head: RequestHead, header: (name: String, value: String)?, body: [UInt8], by deadline: NIODeadline, caller: Caller) {
        guard self.caller == nil, let context, context.channel.isActive else {
            caller.resume(returning: .failure(brokeIdle ?? .io("connection not usable")))
            return
        }
        self.caller = caller
        parser.expect(head.method)
        self.deadline = deadline
        setTimer(for: deadline, channel: context.channel)
        head.encode(header: header, body: body, into: &out)
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    private func setTimer(for deadline: NIODeadline, channel: any Channel) {
        if let timerAt, timerAt <= deadline { return }  // one will fire in time and look again
        timerAt = deadline
        // The timer holds the handler (and its channel) until it fires, at most a request's timeout: a weak
        // reference would give the handler a side table, and every retain and release of it — the pipeline's
        // on each read, the request's on each send — would take the runtime's slow path.
        channel.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { self.timerFired(channel: channel) }
    }

    private func timerFired(channel: any Channel) {
        let now = NIODeadline.now()
        if let timerAt, timerAt <= now { self.timerAt = nil }
        guard caller != nil, let deadline else { return }
        if deadline <= now {
            fail(.timeout, closing: channel)
        } else {
            setTimer(for: deadline, channel: channel)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        switch parser.read(&buffer) {
        case .more: break
        case .failed(let reason): fail(.io(reason), closing: context.channel)
        case .response(var response, let keepAlive):
            response.received = .now()
            // Closed before its caller resumes (and finds it inactive). Bytes past the response answer no
            // request: the connection cannot be trusted with another.
            let c = takeCaller()
            if !keepAlive || buffer.readableBytes > 0 { context.close(promise: nil) }
            c?.resume(returning: .success(response))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if var response = parser.closed() {
            response.received = .now()
            takeCaller()?.resume(returning: .success(response))  // its body ended with the connection
        } else {
            fail(.io("connection closed by peer"), closing: context.channel)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.io(String(describing: error)), closing: context.channel)
    }

    /// The caller of the request in flight, which is then over.
    private func takeCaller() -> Caller? {
        deadline = nil
        defer { caller = nil }
        return caller
    }

    /// Fails the request in flight after closing the connection, so that whoever the failure wakes finds
    /// it inactive and never reuses it. The caller is taken first: the close's `channelInactive` finds
    /// none and does not overwrite the reason.
    private func fail(_ failure: ClientFailure, closing channel: any Channel) {
        parser.abandon()
        let c = takeCaller()
        if c == nil, brokeIdle == nil { brokeIdle = failure }
        channel.close(promise: nil)
        c?.resume(returning: .failure(failure))
    }
}
