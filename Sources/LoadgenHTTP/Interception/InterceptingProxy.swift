import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A forward proxy (HTTP `CONNECT`) that reads a bot's HTTPS to chosen hosts: for an intercepted host it
/// answers the `CONNECT`, terminates TLS with a leaf certificate from `CertificateAuthority`, and hands
/// the decrypted HTTP/1.1 requests to a responder (the stand-in Graph API); a host on the tunnel list
/// goes through as raw bytes; any other is refused with 403 and a one-line reason. Absolute-form plain
/// requests (`POST http://graph.facebook.com/…`) to an intercepted host reach the responder too.
///
/// `bind` opens the socket and makes one TLS context per intercepted host, once; `run` serves until its
/// task is cancelled, telling `events` what it did.
public final class InterceptingProxy: Sendable {
    /// The address the proxy listens on.
    public let host: String
    public let port: Int
    private let policy: ProxyPolicy
    private let channel: NIOAsyncChannel<Negotiation, Never>
    private let maxBodyBytes: Int

    /// An accepted connection whose first request is still to come.
    struct Negotiation: Sendable {
        let channel: any Channel
        let outcome: EventLoopFuture<ProxiedConnection>

        /// What the connection turned out to be; nil when it closed first, or when the proxy stopped
        /// while it said nothing (it is closed then: a future's wait is not cancelled by itself).
        func connection() async -> ProxiedConnection? {
            await withTaskCancellationHandler {
                try? await outcome.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        }
    }

    private init(host: String, port: Int, policy: ProxyPolicy, maxBodyBytes: Int, channel: NIOAsyncChannel<Negotiation, Never>) {
        self.host = host
        self.port = port
        self.policy = policy
        self.maxBodyBytes = maxBodyBytes
        self.channel = channel
    }

    /// Binds `host:port` (port 0 picks a free one). Throws `BindError` when the address is taken or
    /// invalid, and what `authority` throws when a leaf cannot be made.
    public static func bind(
        host: String, port: Int, policy: ProxyPolicy, authority: CertificateAuthority, maxBodyBytes: Int = 3 * 1024 * 1024,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> InterceptingProxy {
        var contexts: [String: NIOSSLContext] = [:]
        for name in policy.intercepted { contexts[name] = try authority.serverContext(for: name) }
        let tls = contexts
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { child in
                    // A connection accepted while the proxy stops may never reach `run`: it closes with the listener.
                    child.parent?.closeFuture.whenComplete { _ in child.close(promise: nil) }
                    return child.eventLoop.makeCompletedFuture {
                        Negotiation(channel: child, outcome: try ConnectNegotiator.install(on: child, policy: policy, tls: tls))
                    }
                }
            let bound = channel.channel.localAddress?.port ?? port
            return InterceptingProxy(host: host, port: bound, policy: policy, maxBodyBytes: maxBodyBytes, channel: channel)
        } catch {
            throw BindError(address: "\(host):\(port)", reason: String(describing: error))
        }
    }

    /// `host:port`, with an IPv6 host bracketed: what `HTTPS_PROXY=http://…` names.
    public var address: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Serves proxy connections until the calling task is cancelled.
    public func run(_ responder: some HTTPResponder, events: @escaping @Sendable (ProxyEvent) async -> Void) async {
        let (policy, limit) = (self.policy, maxBodyBytes)
        try? await channel.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await negotiation in connections {
                    group.addTask {
                        guard let connection = await negotiation.connection() else { return }
                        await Self.serve(connection, responder: responder, policy: policy, maxBodyBytes: limit, events: events)
                    }
                }
            }
        }
    }

    private static func serve(
        _ connection: ProxiedConnection, responder: some HTTPResponder, policy: ProxyPolicy, maxBodyBytes: Int,
        events: @escaping @Sendable (ProxyEvent) async -> Void
    ) async {
        switch connection {
        case .intercepted(let host, let http):
            do {
                try await HTTPServer.serve(http, responder: InterceptedResponder(host: host, inner: responder, events: events), maxBodyBytes: maxBodyBytes)
            } catch let error as NIOSSLError {
                if case .handshakeFailed = error { await events(.handshakeFailed(host: host, reason: String(describing: error))) }
            } catch {}
        case .plain(let http):
            try? await HTTPServer.serve(http, responder: PlainProxyResponder(policy: policy, inner: responder, events: events), maxBodyBytes: maxBodyBytes)
        case .tunnel(let host, let port, let client):
            await Tunnel.run(client, to: host, port: port, events: events)
        case .refused(let host, let port):
            await events(.refused(host: host, port: port))
        case .malformed:
            break
        }
    }
}
