import NIOCore
import NIOHTTP1

/// A connection served as an async channel, one request after another: what the intercepting proxy
/// does with a connection once it has negotiated it (the decrypted side of a `CONNECT`). The server's
/// own connections take the cheaper path of `ServerConnectionHandler`.
extension HTTPServer {
    /// Answers the requests of one connection in turn until it closes; throws what broke it (the intercepting
    /// proxy tells a TLS handshake the client refused from a connection that merely ended).
    static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, responder: some HTTPResponder,
        maxBodyBytes: Int
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var assembly = RequestAssembly(maxBodyBytes: maxBodyBytes)
            for try await part in inbound {
                guard let request = assembly.take(part), let version = assembly.head?.version else { continue }
                let response = await responder.respond(to: request)
                if response.dropsConnection { return }  // closes without a byte: the caller sees a reset
                let keepAlive = assembly.keepAlive
                try await outbound.write(contentsOf: response.parts(version: version, keepAlive: keepAlive, allocator: connection.channel.allocator))
                if !keepAlive { return }
            }
        }
    }
}

/// Wraps accepted connections so that one accepted while the server shuts down, and so never handed
/// to a handler, is closed when dropped. `wrappingChannelSynchronously` traps on such a drop (even in
/// release builds); the close-on-deinit initialiser is deprecated only because scoped use is preferred,
/// which `serve` does for every connection it receives. (One deprecation warning, on purpose.)
enum ConnectionWrapper {
    static func wrap<Inbound: Sendable, Outbound: Sendable>(_ child: any Channel) throws -> NIOAsyncChannel<Inbound, Outbound> {
        try NIOAsyncChannel(synchronouslyWrapping: child)
    }
}

