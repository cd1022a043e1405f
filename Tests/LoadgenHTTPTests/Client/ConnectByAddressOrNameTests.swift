@testable import LoadgenHTTP
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing
import Wire

/// A target named by an IP literal is connected to by address; one named by a host name is resolved (and
/// its addresses raced) at each connect. Both reach the target and reuse their connection, and a literal
/// with nothing listening is a connect failure, not a timeout.
@Suite(.timeLimit(.minutes(1)))
struct ConnectByAddressOrNameTests {
    /// Answers every read with `200 ok` (keep-alive), and counts the connections it accepts.
    final class Answer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: ok)), promise: nil)
        }
    }

    /// A target bound to `host` on port 0 (nil when this machine cannot bind it: no IPv6 loopback).
    private func bind(_ host: String, accepted: AcceptCount) async -> (any Channel)? {
        try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.add()
                return channel.pipeline.addHandler(Answer())
            }
            .bind(host: host, port: 0).get()
    }

    /// Two requests to `url`: both answered `200 ok`.
    private func twoRequests(_ url: String) async throws -> [Result<ClientResponse, ClientFailure>] {
        let client = try HTTPClient(origin: try TargetURL(url).origin, maxConnections: 1)
        var results: [Result<ClientResponse, ClientFailure>] = []
        for _ in 0..<2 { results.append(await client.execute(method: .POST, path: "/", body: Array("{}".utf8), timeout: .seconds(10))) }
        return results
    }

    static func answeredOK(_ result: Result<ClientResponse, ClientFailure>) -> Bool {
        if case .success(let response) = result { response.status == 200 && response.body == Array("ok".utf8) } else { false }
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func aTargetIsReachedByAddressAndByNameOnOneConnection(host: String) async throws {
        let accepted = AcceptCount()
        let server = try #require(await bind("127.0.0.1", accepted: accepted))
        let port = try #require(server.localAddress?.port)
        let results = try await twoRequests("http://\(host):\(port)/webhook")
        try await server.close()
        #expect(results.allSatisfy(Self.answeredOK), "\(results)")
        #expect(accepted.value == 1)  // the second request reused the first's connection
    }

    @Test func anIPv6LiteralIsReachedByAddress() async throws {
        let accepted = AcceptCount()
        guard let server = await bind("::1", accepted: accepted), let port = server.localAddress?.port else { return }  // no IPv6 here
        let results = try await twoRequests("http://[::1]:\(port)/webhook")
        try await server.close()
        #expect(results.allSatisfy(Self.answeredOK), "\(results)")
        #expect(accepted.value == 1)
    }

    @Test func aLiteralWithNothingListeningIsAConnectFailure() async throws {
        let accepted = AcceptCount()
        let server = try #require(await bind("127.0.0.1", accepted: accepted))
        let port = try #require(server.localAddress?.port)
        try await server.close()  // the port is free now: nothing answers there
        let client = try HTTPClient(origin: try TargetURL("http://127.0.0.1:\(port)/").origin, maxConnections: 1)
        let result = await client.execute(method: .POST, path: "/", timeout: .seconds(30))
        guard case .failure(.connect) = result else {
            Issue.record("expected a connect failure, got \(result)")
            return
        }
    }
}

/// How many connections a target accepted, counted from its event loop.
private final class AcceptCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
