import NIOCore
import NIOHTTP1
import NIOPosix

/// A `CONNECT` to an allowed host, carried as raw bytes: the host is reached first, then the client hears
/// `200 Connection established` (or 502 with the reason), the proxy's HTTP handlers leave its connection,
/// and bytes are copied both ways until either side closes.
enum Tunnel {
    static let connectTimeout: TimeAmount = .seconds(10)

    static func run(_ client: any Channel, to host: String, port: Int, events: @Sendable (ProxyEvent) async -> Void) async {
        let upstream: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            upstream = try await ClientBootstrap(group: client.eventLoop)
                .connectTimeout(connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try ConnectionWrapper.wrap(channel) }
                }
        } catch {
            let reason = "loadgen's graph proxy cannot reach \(host):\(port): \(error)"
            try? await client.eventLoop.submit { badGateway(client, reason) }.get()
            await events(.tunnelFailed(host: host, port: port, reason: String(describing: error)))
            return
        }
        let downstream: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do { downstream = try await client.eventLoop.submit { try established(client) }.get() } catch {
            try? await upstream.executeThenClose { _, _ in }
            client.close(promise: nil)
            return
        }
        await events(.tunnelled(host: host, port: port))
        try? await upstream.executeThenClose { upIn, upOut in
            try await downstream.executeThenClose { downIn, downOut in
                await withTaskGroup(of: Void.self) { pumps in
                    pumps.addTask { try? await copy(downIn, to: upOut) }
                    pumps.addTask { try? await copy(upIn, to: downOut) }
                    await pumps.next()  // one side closed: close both
                    pumps.cancelAll()
                }
            }
        }
    }

    /// On the client's event loop: the answer, then raw bytes from here on.
    private static func established(_ client: any Channel) throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let sync = client.pipeline.syncOperations
        sync.removeHandler(name: ConnectNegotiator.encoderName, promise: nil)
        sync.removeHandler(name: ConnectNegotiator.name, promise: nil)
        sync.writeAndFlush(NIOAny(client.allocator.buffer(string: ConnectNegotiator.established)), promise: nil)
        let raw: NIOAsyncChannel<ByteBuffer, ByteBuffer> = try ConnectionWrapper.wrap(client)
        sync.removeHandler(name: ConnectNegotiator.decoderName, promise: nil)  // last: what it still holds goes upstream
        return raw
    }

    /// On the client's event loop: 502 with `reason`, then close.
    private static func badGateway(_ client: any Channel, _ reason: String) {
        let sync = client.pipeline.syncOperations
        let body = client.allocator.buffer(string: reason + "\n")
        let headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "Content-Length": String(body.readableBytes), "Connection": "close"]
        sync.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .badGateway, headers: headers))), promise: nil)
        sync.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
        sync.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in client.close(promise: nil) }
    }

    private static func copy(_ from: NIOAsyncChannelInboundStream<ByteBuffer>, to: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        for try await chunk in from { try await to.write(chunk) }
    }
}
