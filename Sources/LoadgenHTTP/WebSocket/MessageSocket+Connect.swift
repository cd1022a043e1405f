import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Wire

extension MessageSocket {
    /// Why a connection could not be made.
    public struct ConnectError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens a WebSocket to `url` (`http://host:port[/path]`; the upgrade is asked at its path), within
    /// `timeout`. Throws `ConnectError` saying what went wrong: refused, timed out, not a WebSocket.
    public static func connect(
        to url: TargetURL, timeout: Duration = .seconds(10), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> MessageSocket {
        guard !url.origin.tls else { throw ConnectError(description: "\(url): the hub speaks plain WebSocket (http://), not TLS") }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.pathAndQuery.isEmpty ? "/" : url.pathAndQuery,
                                   headers: ["Host": url.origin.hostHeader, "Content-Length": "0"])
        let upgrade: EventLoopFuture<MessageSocket?>
        do {
            upgrade = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: url.origin.host, port: url.origin.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let upgrader = NIOTypedWebSocketClientUpgrader<MessageSocket?>(maxFrameSize: maxMessageBytes) { channel, _ in
                            channel.eventLoop.makeCompletedFuture { try socket(on: channel, masks: true) }
                        }
                        let configuration = NIOTypedHTTPClientUpgradeConfiguration<MessageSocket?>(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in channel.close().map { nil } })
                        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                            configuration: .init(upgradeConfiguration: configuration))
                    }
                }
        } catch {
            throw ConnectError(description: "cannot connect to \(url): \(String(describing: error).contains("refused") ? "connection refused" : "\(error)")")
        }
        guard let socket = try await upgrade.get() else {
            throw ConnectError(description: "\(url) answered, but not as a WebSocket: is it a loadgen hub's --listen address?")
        }
        return socket
    }

    /// The connection on an upgraded `channel`: whole messages (fragments put together), as an async channel.
    static func socket(on channel: any Channel, masks: Bool) throws -> MessageSocket {
        try channel.pipeline.syncOperations.addHandler(
            NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024, maxAccumulatedFrameSize: maxMessageBytes))
        return MessageSocket(channel: try ConnectionWrapper.wrap(channel), masks: masks)
    }
}
