@testable import LoadgenHTTP
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// A connection that broke with no request in flight — a TLS handshake refused before the first request,
/// a reset while idle — tells the next request why, not only that it cannot be used: that is how a plain
/// HTTP target named `https://` is reported as a failed handshake, whichever comes first.
struct BrokenIdleConnectionTests {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "handshakeFailed(WRONG_VERSION_NUMBER)" }
    }

    @Test func theNextRequestIsToldWhyTheConnectionBroke() async throws {
        let (channel, handler) = try await connected()
        channel.pipeline.fireErrorCaught(Refused())
        // The handler closed the channel; the failure its close then reported did not replace the first.
        #expect(!channel.isActive)
        #expect(await failure(of: handler) == .io("handshakeFailed(WRONG_VERSION_NUMBER)"))
        #expect(await failure(of: handler) == .io("handshakeFailed(WRONG_VERSION_NUMBER)"))  // and again
    }

    @Test func aConnectionClosedWhileIdleSaysSoToTheNextRequest() async throws {
        let (channel, handler) = try await connected()
        try await channel.close().get()
        // Nothing broke it but its own close: the next request hears what the close said.
        #expect(await failure(of: handler) == .io("connection closed by peer"))
    }

    /// A connected channel with a `ResponseHandler` and no request in flight.
    private func connected() async throws -> (EmbeddedChannel, ResponseHandler) {
        let channel = EmbeddedChannel()
        let handler = ResponseHandler(maxBodyBytes: 1024)
        try channel.pipeline.syncOperations.addHandler(handler)
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).get()
        return (channel, handler)
    }

    /// Sends a request on `handler`'s connection; what it failed with (nil: it did not fail).
    private func failure(of handler: ResponseHandler) async -> ClientFailure? {
        let head = RequestHead(method: .GET, path: "/", host: "h", headers: [(String, String)]())
        let result = await withUnsafeContinuation { caller in
            handler.send(head, header: nil, body: [], by: .now() + .seconds(5), caller: caller)
        }
        guard case .failure(let failure) = result else { return nil }
        return failure
    }
}
