import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Accepts WebSocket connections (`MessageSocket`) on one address: where a hub's shards connect. A plain
/// HTTP request gets `200 ok` at `/health` (a probe's) and `426 Upgrade Required` elsewhere.
///
/// `bind` opens the socket (port 0 picks a free one; `port` tells which); `run` hands each connection to
/// its handler in a child task until its own task is cancelled — nothing outlives it.
public final class MessageSocketListener: Sendable {
    public let host: String
    public let port: Int
    private let channel: NIOAsyncChannel<EventLoopFuture<Accepted>, Never>

    /// What an accepted connection turned out to be.
    enum Accepted: Sendable {
        case socket(MessageSocket)
        case plain(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    }

    private init(host: String, port: Int, channel: NIOAsyncChannel<EventLoopFuture<Accepted>, Never>) {
        self.host = host
        self.port = port
        self.channel = channel
    }

    /// Binds `host:port`. Throws `BindError` with a clear message when the address is taken or invalid.
    public static func bind(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws
        -> MessageSocketListener
    {
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { child in
                    child.eventLoop.makeCompletedFuture { try Self.configure(child) }
                }
            return MessageSocketListener(host: host, port: channel.channel.localAddress?.port ?? port, channel: channel)
        } catch {
            throw BindError(address: "\(host):\(port)", reason: String(describing: error))
        }
    }

    private static func configure(_ child: any Channel) throws -> EventLoopFuture<Accepted> {
        let upgrader = NIOTypedWebSocketServerUpgrader<Accepted>(
            maxFrameSize: MessageSocket.maxMessageBytes,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture { .socket(try MessageSocket.socket(on: channel, masks: false)) }
            })
        let configuration = NIOTypedHTTPServerUpgradeConfiguration<Accepted>(
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture { .plain(try ConnectionWrapper.wrap(channel)) }
            })
        return try child.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: .init(upgradeConfiguration: configuration))
    }

    /// `http://host:port`, with IPv6 hosts bracketed.
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Hands every WebSocket connection to `handle`, in a child task of its own, until the calling task
    /// is cancelled; then closes the listener (the handlers' connections are theirs to end).
    public func run(_ handle: @escaping @Sendable (MessageSocket) async -> Void) async {
        try? await channel.executeThenClose { accepted in
            await withDiscardingTaskGroup { group in
                do {
                    for try await upgrade in accepted {
                        group.addTask {
                            switch try? await upgrade.get() {
                            case .socket(let socket): await handle(socket)
                            case .plain(let http): await Self.answer(http)
                            case nil: break
                            }
                        }
                    }
                } catch {}
            }
        }
    }

    /// A plain HTTP request: `/health` is fine, the rest are told to speak WebSocket.
    private static func answer(_ http: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await http.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .head(let head) = part else { continue }
                let health = head.uri == "/health" || head.uri.hasPrefix("/health?")
                let body = health ? "ok\n" : "loadgen hub: shards connect here over WebSocket (loadgen run --hub URL)\n"
                let headers: HTTPHeaders = ["Content-Type": "text/plain", "Content-Length": String(body.utf8.count), "Connection": "close"]
                try await outbound.write(contentsOf: [
                    .head(HTTPResponseHead(version: head.version, status: health ? .ok : .upgradeRequired, headers: headers)),
                    .body(.byteBuffer(ByteBuffer(string: body))), .end(nil),
                ])
                return
            }
        }
    }
}
