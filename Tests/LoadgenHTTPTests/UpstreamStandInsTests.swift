import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOCore
import NIOHTTP1
import Testing

/// The stand-in upstreams answer like the real services, and inject each fault shape where the plan says.
@Suite(.timeLimit(.minutes(1)))
struct UpstreamStandInsTests {
    private func withUpstreams(_ plan: ChaosPlan?, _ body: (HTTPClient, FaultInjector?) async throws -> Void) async throws {
        let injector = plan.map { FaultInjector(plan: $0, seed: 1) }
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: server.port), maxConnections: 4)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.run(UpstreamStandIns(injector: injector, stallLimit: .milliseconds(200))) }
            defer { group.cancelAll() }
            try await body(client, injector)
        }
        client.shutdown()
    }

    private func call(_ client: HTTPClient, _ method: HTTPMethod, _ path: String, _ body: String = "", id: String? = nil)
        async -> Result<ClientResponse, ClientFailure>
    {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let id { headers.add(name: "X-Correlation-ID", value: id) }
        return await client.execute(method: method, path: path, headers: headers, body: Array(body.utf8), timeout: .seconds(5))
    }

    @Test func healthyUpstreamsAnswerLikeTheRealServices() async throws {
        try await withUpstreams(nil) { client, _ async throws in
            let llm = try await call(client, .POST, "/v1/chat/completions", #"{"model":"gpt","messages":[{"role":"user","content":"vegetables"}]}"#).get()
            #expect(llm.status == 200)
            let completion = try JSONSerialization.jsonObject(with: Data(llm.body)) as? [String: Any]
            #expect(completion?["object"] as? String == "chat.completion")
            let rows = try await call(client, .GET, "/rest/v1/listings?category=eq.farmer&q=tomato").get()
            let listings = try JSONSerialization.jsonObject(with: Data(rows.body)) as? [[String: Any]]
            #expect(listings?.first?["id"] as? String == "v_kimironko_fresh")  // the tomato vendor first
            let ranked = try await call(client, .GET, "/ranking/top?category=rides").get()
            #expect(ranked.status == 200)
            #expect(try await call(client, .POST, "/rest/v1/sessions?user_id=eq.u1", #"{"step":"choosing"}"#).get().status == 201)
            #expect(String(decoding: try await call(client, .GET, "/rest/v1/sessions?user_id=eq.u1").get().body, as: UTF8.self)
                == #"[{"step":"choosing"}]"#)
            let pay = try await call(client, .POST, "/payments/momo", #"{"amount":1500}"#).get()
            #expect(String(decoding: pay.body, as: UTF8.self).contains("SUCCESSFUL"))
        }
    }

    @Test func injectsEachFaultShapeAtItsSite() async throws {
        let plan: ChaosPlan = [
            .inject(.aiServiceDown, rate: 1),                             // LLM: 500
            .inject(.noResults, rate: 1),                                 // search: []
            .inject(.networkIssues, rate: 1),                             // ranking/database: connection reset
            .inject(.paymentFailure, rate: 1),                            // payments: 502
            .inject(.contextLost, rate: 1),                               // sessions: []
            .inject(.agentUnavailable, rate: 1, shape: .rateLimited(retryAfter: 7)),
        ]
        try await withUpstreams(plan) { client, injector async throws in
            #expect(try await call(client, .POST, "/v1/chat/completions", "{}", id: "wamid.T1").get().status == 500)
            #expect(injector?.patterns(forTurn: "wamid.T1") == [.aiServiceDown])
            #expect(String(decoding: try await call(client, .GET, "/rest/v1/listings?category=eq.farmer").get().body, as: UTF8.self) == "[]")
            guard case .failure(.io) = await call(client, .GET, "/ranking/top?category=farmer") else {
                Issue.record("expected a dropped connection"); return
            }
            #expect(try await call(client, .POST, "/payments/momo", "{}").get().status == 502)
            #expect(String(decoding: try await call(client, .GET, "/rest/v1/sessions?user_id=eq.u").get().body, as: UTF8.self) == "[]")
            let limited = try await call(client, .POST, "/agents/farmer", "{}").get()
            #expect(limited.status == 429 && limited.headers.first(name: "Retry-After") == "7")
            #expect(injector?.injected[.aiServiceDown] == 1 && injector?.injected[.networkIssues] == 1)
        }
    }

    @Test func stallsAndMalformedBodies() async throws {
        let plan: ChaosPlan = [
            .inject(.timeout, rate: 1, shape: .stall),
            .inject(.noResults, rate: 1, shape: .malformedBody),
        ]
        try await withUpstreams(plan) { client, _ async throws in
            guard case .failure = await call(client, .POST, "/v1/chat/completions", "{}") else {
                Issue.record("a stalled call must not answer"); return
            }
            let bad = try await call(client, .GET, "/rest/v1/listings?category=eq.farmer").get()
            #expect(bad.status == 200)
            #expect((try? JSONSerialization.jsonObject(with: Data(bad.body))) == nil)
        }
    }

    @Test func faultsOnlyInsideTheirWindow() async throws {
        try await withUpstreams([.inject(.aiServiceDown, rate: 1, from: .seconds(3600))]) { client, _ async throws in
            #expect(try await call(client, .POST, "/v1/chat/completions", "{}").get().status == 200)  // baseline phase
        }
    }
}
