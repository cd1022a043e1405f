import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOCore
import NIOHTTP1
import Testing

/// `loadgen proxy` in front of a real local HTTP server: untouched traffic arrives byte for byte, hit
/// traffic gets the pattern's fault.
@Suite(.timeLimit(.minutes(1)))
struct FaultProxyTests {
    /// The "real upstream": echoes what it received, with a status and header of its own.
    struct Echo: HTTPResponder {
        func respond(to request: ServerRequest) async -> ServerResponse {
            var headers: HTTPHeaders = ["X-Echo-Method": request.method.rawValue, "X-Echo-URI": request.uri,
                                        "X-Echo-Tenant": request.headers.first(name: "X-Tenant") ?? "none"]
            headers.add(name: "Content-Type", value: "application/octet-stream")
            return ServerResponse(status: request.uri.contains("missing") ? .notFound : .created, headers: headers, body: request.body)
        }
    }

    private func withProxy(_ spec: String, _ body: (HTTPClient) async throws -> Void) async throws {
        let upstream = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let front = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let injector = FaultInjector(plan: try ChaosPlan.parse(spec), seed: 2)
        let proxy = try FaultProxy(upstream: try TargetURL(upstream.baseURL + "/base"), sites: [.llm], injector: injector)
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: front.port), maxConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await upstream.run(Echo()) }
            group.addTask { await front.run(proxy) }
            defer { group.cancelAll() }
            try await body(client)
        }
        client.shutdown()
        proxy.shutdown()
    }

    @Test func untouchedTrafficPassesByteForByte() async throws {
        try await withProxy("ai-service-down=0") { client in
            var random = SeededRandom(seed: 9)
            let payload = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }  // binary, not UTF-8
            let r = try await client.execute(method: .POST, path: "/v1/chat/completions?stream=false&x=%20y",
                                             headers: ["X-Tenant": "easymo", "Content-Type": "application/json"],
                                             body: payload, timeout: .seconds(5)).get()
            #expect(r.status == 201)
            #expect(r.body == payload)
            #expect(r.headers.first(name: "X-Echo-URI") == "/base/v1/chat/completions?stream=false&x=%20y")
            #expect(r.headers.first(name: "X-Echo-Method") == "POST")
            #expect(r.headers.first(name: "X-Echo-Tenant") == "easymo")
            let missing = try await client.execute(method: .GET, path: "/missing", timeout: .seconds(5)).get()
            #expect(missing.status == 404)  // the upstream's own errors pass through too
        }
    }

    @Test func hitTrafficGetsTheFault() async throws {
        try await withProxy("ai-service-down=1") { client in
            let r = try await client.execute(method: .POST, path: "/v1/chat/completions", body: Array("{}".utf8), timeout: .seconds(5)).get()
            #expect(r.status == 500)
            #expect(r.headers.first(name: "X-Echo-Method") == nil)  // it never reached the upstream
        }
        try await withProxy("network-issues=0,timeout=1") { client in
            // timeout's default fault is a 35 s delay; the client gives up first.
            guard case .failure(.timeout) = await client.execute(method: .POST, path: "/v1/x", timeout: .milliseconds(300)) else {
                Issue.record("expected the delayed call to time out"); return
            }
        }
    }
}
