import NIOCore
import NIOWebSocket

/// One WebSocket connection carrying text messages in order, both ways: what a hub and its shards speak
/// (`loadgen hub`, `loadgen run --hub`). Made by `MessageSocketListener` (the hub's side) or
/// `MessageSocket.connect(to:)` (a shard's); used once, through `session`.
///
/// ```swift
/// let socket = try await MessageSocket.connect(to: hubURL)
/// try await socket.session { messages, writer in
///     try await writer.send(#"{"type":"ready"}"#)
///     for try await line in messages { print(line) }
/// }
/// ```
public struct MessageSocket: Sendable {
    /// The largest message either side reads (a bot's send with its body, well under it).
    public static let maxMessageBytes = 4 << 20

    let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>
    /// A client masks what it writes (RFC 6455 §5.3); a server does not.
    let masks: Bool

    /// Writes text messages; safe to use from several tasks (each message goes out whole).
    public struct Writer: Sendable {
        let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
        let allocator: ByteBufferAllocator
        let masks: Bool

        /// Sends one text message.
        public func send(_ text: String) async throws {
            try await write(.text, ByteBuffer(string: text))
        }

        func write(_ opcode: WebSocketOpcode, _ data: ByteBuffer) async throws {
            try await outbound.write(WebSocketFrame(fin: true, opcode: opcode, maskKey: masks ? .random() : nil, data: data))
        }
    }

    /// Runs `body` with the connection's incoming text messages and a writer, then closes the connection.
    /// The messages end when the peer closes (or the connection breaks: then they throw); pings are
    /// answered, and a close is answered and ends them.
    public func session<T: Sendable>(
        _ body: @Sendable (AsyncThrowingStream<String, any Error>, Writer) async throws -> T
    ) async throws -> T {
        let masks = self.masks
        let allocator = channel.channel.allocator
        return try await channel.executeThenClose { inbound, outbound in
            let writer = Writer(outbound: outbound, allocator: allocator, masks: masks)
            let (messages, sink) = AsyncThrowingStream.makeStream(of: String.self)
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    do { try await Self.read(inbound, into: sink, answering: writer) } catch { sink.finish(throwing: error) }
                    return nil
                }
                defer { group.cancelAll() }
                return try await body(messages, writer)
            }
        }
    }

    /// Hands each text message to `sink`, answers pings and a close, until the peer closes.
    private static func read(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, into sink: AsyncThrowingStream<String, any Error>.Continuation,
        answering writer: Writer
    ) async throws {
        for try await frame in inbound {
            switch frame.opcode {
            case .text: sink.yield(String(buffer: frame.unmaskedData))
            case .ping: try await writer.write(.pong, frame.unmaskedData)
            case .connectionClose:
                var data = frame.unmaskedData
                try? await writer.write(.connectionClose, data.readSlice(length: 2) ?? ByteBuffer())
                sink.finish()
                return
            default: continue  // binary, pong: nothing this protocol sends
            }
        }
        sink.finish()
    }
}
