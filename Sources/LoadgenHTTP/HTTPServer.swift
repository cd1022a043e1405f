import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small HTTP/1.1 server on SwiftNIO: keep-alive, a body size limit, a handler per connection.
///
/// `bind` opens the socket (port 0 picks a free one; `port` tells which); `run` serves until its task
/// is cancelled, then closes the listener and every connection. A request is read and answered on its
/// connection's event loop: a responder that can answer at once (`respondAtOnce`) costs no task at all,
/// and the others answer in a child task of `run` — nothing outlives it. (The embedded bot's every
/// webhook is answered at once; an async channel per connection cost a task hop and an async writer's
/// yield for each request, a tenth of a turn's CPU.)
public final class HTTPServer: Sendable {
    /// The address the server listens on.
    public let host: String
    public let port: Int
    /// Whether it speaks HTTPS.
    private let tls: Bool
    /// Accepted connections, their HTTP pipeline set up, not read from until `run` hands them a handler.
    private let channel: NIOAsyncChannel<Accepted, Never>
    private let maxBodyBytes: Int

    private init(host: String, port: Int, tls: Bool, maxBodyBytes: Int, channel: NIOAsyncChannel<Accepted, Never>) {
        self.host = host
        self.port = port
        self.tls = tls
        self.maxBodyBytes = maxBodyBytes
        self.channel = channel
    }

    /// Binds `host:port`, speaking HTTPS with `tls` when given. Throws `BindError` with a clear message
    /// when the address is taken or invalid.
    public static func bind(
        host: String, port: Int, maxBodyBytes: Int = 3 * 1024 * 1024, tls: NIOSSLContext? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPServer {
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 4096)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.autoRead, value: false)  // nothing is read before `run` has a responder for it
                .bind(host: host, port: port) { child in
                    child.eventLoop.makeCompletedFuture {
                        if let tls { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                        try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return Accepted(child)
                    }
                }
            let bound = channel.channel.localAddress?.port ?? port
            return HTTPServer(host: host, port: bound, tls: tls != nil, maxBodyBytes: maxBodyBytes, channel: channel)
        } catch {
            throw BindError(address: "\(host):\(port)", reason: String(describing: error))
        }
    }

    /// `http://host:port` (`https` with TLS), with IPv6 hosts bracketed.
    public var baseURL: String { "\(tls ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// What the accepting loop hears of: a new connection, a request to answer in a task, a closed connection.
    enum Event: Sendable {
        case accepted(Accepted)
        case answer(ServerRequest, reply: @Sendable (ServerResponse) -> Void)
        case closed(ObjectIdentifier)
    }

    /// Serves requests until the calling task is cancelled.
    public func run(_ responder: some HTTPResponder) async {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let limit = maxBodyBytes
        try? await channel.executeThenClose { connections in
            await withDiscardingTaskGroup { group in
                group.addTask {
                    await withTaskCancellationHandler {
                        do { for try await accepted in connections { sink.yield(.accepted(accepted)) } } catch {}
                    } onCancel: {
                        sink.finish()
                    }
                    sink.finish()
                }
                var open: [ObjectIdentifier: any Channel] = [:]
                for await event in events {
                    switch event {
                    case .accepted(let accepted):
                        let connection = accepted.channel
                        let id = ObjectIdentifier(connection)
                        open[id] = connection
                        connection.closeFuture.whenComplete { _ in sink.yield(.closed(id)) }
                        Self.serve(connection, responder: responder, maxBodyBytes: limit, events: sink)
                    case .answer(let request, let reply):
                        group.addTask { reply(await responder.respond(to: request)) }
                    case .closed(let id):
                        open[id] = nil
                    }
                }
                for connection in open.values { connection.close(promise: nil) }
                group.cancelAll()
            }
        }
    }

    /// Hands `connection` its request handler and starts reading.
    private static func serve(
        _ connection: any Channel, responder: some HTTPResponder, maxBodyBytes: Int, events: AsyncStream<Event>.Continuation
    ) {
        connection.eventLoop.execute {
            let handler = ServerConnectionHandler(responder: responder, maxBodyBytes: maxBodyBytes) { request, reply in
                events.yield(.answer(request, reply: reply))
            }
            do {
                try connection.pipeline.syncOperations.addHandler(handler, name: ServerConnectionHandlerName.value)
                connection.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in connection.close(promise: nil) }
                connection.read()
            } catch {
                connection.close(promise: nil)
            }
        }
    }
}

extension HTTPServer {
    /// A connection between its accept and `run` taking it. One the server never takes — accepted as it
    /// stops — is closed when dropped, so no client waits on a connection nobody will read.
    final class Accepted: Sendable {
        let channel: any Channel
        init(_ channel: any Channel) { self.channel = channel }
        deinit {
            let channel = self.channel
            // Queued after `serve`'s own hand-over, which runs on the same loop: a taken connection has its handler by then.
            channel.eventLoop.execute {
                if (try? channel.pipeline.syncOperations.context(name: ServerConnectionHandlerName.value)) == nil { channel.close(promise: nil) }
            }
        }
    }
}

/// The name a connection's request handler has in its pipeline.
enum ServerConnectionHandlerName { static let value = "loadgen-server-connection" }

/// The server could not listen where asked.
public struct BindError: Error, CustomStringConvertible {
    public var address: String
    public var reason: String
    public var description: String { "cannot listen on \(address): \(reason)" }
}
