import LoadgenHTTP
import NIOCore
import NIOHTTP1
import Testing
import Wire

/// The WebSocket a hub and its shards speak over: text messages in order both ways, a client that masks
/// (RFC 6455), plain HTTP answered (a probe's `/health`), and a listener that is not one said so.
@Suite(.timeLimit(.minutes(1)))
struct MessageSocketTests {
    @Test func messagesGoBothWaysInOrder() async throws {
        let listener = try await MessageSocketListener.bind(host: "127.0.0.1", port: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await listener.run { socket in  // an echo, upper-cased, and a last word when the peer is done
                    _ = try? await socket.session { messages, writer in
                        for try await text in messages { try await writer.send(text.uppercased()) }
                        return 0
                    }
                }
            }
            defer { group.cancelAll() }
            let socket = try await MessageSocket.connect(to: try TargetURL(listener.baseURL + "/shards"))
            let echoed = try await socket.session { messages, writer in
                var lines = messages.makeAsyncIterator()
                var echoed: [String] = []
                let big = String(repeating: "é", count: 100_000)  // past a frame's default 16 KiB
                for text in ["one", "two", big, "🥬"] {
                    try await writer.send(text)
                    echoed.append(try await lines.next() ?? "")
                }
                return echoed
            }
            #expect(echoed.map(\.count) == [3, 3, 100_000, 1] && echoed.first == "ONE" && echoed.last == "🥬")
        }
    }

    @Test func plainHTTPIsAnsweredAndNotASocket() async throws {
        let listener = try await MessageSocketListener.bind(host: "127.0.0.1", port: 0)
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: listener.port), maxConnections: 1)
        defer { client.shutdown() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await listener.run { _ in } }
            defer { group.cancelAll() }
            let health = try await client.execute(method: .GET, path: "/health", headers: [:], timeout: .seconds(5)).get()
            #expect(health.status == 200 && String(decoding: health.body, as: UTF8.self) == "ok\n")
            let other = try await client.execute(method: .GET, path: "/", headers: [:], timeout: .seconds(5)).get()
            #expect(other.status == 426)
        }
    }

    @Test func aServerThatIsNoHubIsSaidToBeNone() async throws {
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.run(NotFound()) }
            defer { group.cancelAll() }
            await #expect(throws: MessageSocket.ConnectError.self) { _ = try await MessageSocket.connect(to: try TargetURL(server.baseURL)) }
        }
        let closed = try TargetURL("http://127.0.0.1:\(server.port)")  // nothing listens there any more
        do { _ = try await MessageSocket.connect(to: closed); Issue.record("connected to nothing") } catch {
            #expect("\(error)".contains("connection refused"), "\(error)")
        }
    }

    struct NotFound: HTTPResponder {
        func respond(to request: ServerRequest) async -> ServerResponse { .json(.notFound, Array("{}".utf8)) }
    }
}
