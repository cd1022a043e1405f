import Wire
import Foundation
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// The bot's calls to its upstreams (LLM, database REST, ranking, payments, agent backend), each with a
/// deadline, each carrying the inbound message id as `X-Correlation-ID` as EasyMO's services do.
struct UpstreamClient: Sendable {
    enum Failure: Error, Equatable {
        /// No answer before the deadline.
        case timeout
        /// An error status, a dropped connection or a body that is not what the service sends.
        case unavailable
    }

    /// One upstream service: its connections, or its responder in this process.
    struct Service: Sendable {
        private enum Route: Sendable {
            case http(HTTPClient, base: String)
            case inProcess(any HTTPResponder)
        }
        private let route: Route

        init(_ url: TargetURL) throws {
            self.init(route: .http(try HTTPClient(origin: url.origin, maxConnections: ReferenceBot.connectionsPerUpstream),
                                   base: url.pathAndQuery == "/" ? "" : url.pathAndQuery))
        }

        init(_ upstreams: Upstreams) throws {
            switch upstreams {
            case .http(let url): try self.init(url)
            case .inProcess(let responder): self.init(route: .inProcess(responder))
            }
        }

        private init(route: Route) { self.route = route }

        /// One call: the status and body, or why there was none (no answer before `deadline`, a dropped
        /// connection).
        func execute(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: [UInt8], deadline: Duration,
                     key: Int) async -> Result<(status: Int, body: [UInt8]), ClientFailure> {
            switch route {
            case .http(let client, let base):
                return await client.execute(method: method, path: base + path, headers: headers, body: body,
                                            timeout: TimeAmount(deadline), key: key).map { ($0.status, $0.body) }
            case .inProcess(let responder):
                // The deadline travels with the request: a stand-in holding the call stops at it.
                var request = ServerRequest(method: method, uri: path, headers: headers, body: body)
                let end = ContinuousClock.now + deadline
                request.deadline = end
                let response = await responder.respond(to: request)
                if ContinuousClock.now >= end { return .failure(.timeout) }
                if response.dropsConnection { return .failure(.io("connection reset by the upstream")) }
                return .success((Int(response.status.code), response.body))
            }
        }

        func shutdown() {
            if case .http(let client, _) = route { client.shutdown() }
        }
    }

    let services: Service
    /// The LLM, when it has a base URL of its own (EasyMO's `OPENAI_BASE_URL`); else with the others.
    let llm: Service
    let llmDeadline: Duration
    let deadline: Duration

    init(_ upstreams: Upstreams, llm: TargetURL? = nil, llmDeadline: Duration, deadline: Duration) throws {
        services = try Service(upstreams)
        self.llm = try llm.map(Service.init) ?? services
        self.llmDeadline = llmDeadline
        self.deadline = deadline
    }

    /// Chat completions: the assistant's text.
    func complete(_ prompt: String, correlation: String) async throws(Failure) -> String {
        var w = JSONWriter()
        w.object { w in
            w.field("model", string: "gpt-5")
            w.field("messages") { w in
                w.array { w in w.object { w in w.field("role", string: "user"); w.field("content", string: prompt) } }
            }
        }
        let json = try await call(.POST, "/v1/chat/completions", body: w.bytes, deadline: llmDeadline, correlation: correlation, on: llm)
        guard let choices = (json as? [String: Any])?["choices"] as? [[String: Any]],
              let text = (choices.first?["message"] as? [String: Any])?["content"] as? String else { throw .unavailable }
        return text
    }

    /// Listings of a category from the database (PostgREST), best matches for `query` first.
    func listings(_ category: ListingCategory, query: String, correlation: String) async throws(Failure) -> [Listing] {
        let q = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try Self.rows(await call(.GET, "/rest/v1/listings?category=eq.\(category.rawValue)&q=\(q)", deadline: deadline,
                                        correlation: correlation))
    }

    /// The ranking service's top listings of a category.
    func ranking(_ category: ListingCategory, correlation: String) async throws(Failure) -> [Listing] {
        try Self.rows(await call(.GET, "/ranking/top?category=\(category.rawValue)", deadline: deadline, correlation: correlation))
    }

    /// A MoMo-like payment; throws unless it reports `SUCCESSFUL`.
    func pay(amount: Int, correlation: String) async throws(Failure) {
        let json = try await call(.POST, "/payments/momo", body: Array(#"{"amount":\#(amount),"currency":"RWF"}"#.utf8),
                                  deadline: deadline, correlation: correlation)
        guard (json as? [String: Any])?["status"] as? String == "SUCCESSFUL" else { throw .unavailable }
    }

    /// Whether the session store still holds the user's conversation (PostgREST `sessions`).
    func sessionExists(_ user: String, correlation: String) async throws(Failure) -> Bool {
        let json = try await call(.GET, "/rest/v1/sessions?user_id=eq.\(Self.encode(user))", deadline: deadline, correlation: correlation)
        return !((json as? [Any]) ?? []).isEmpty
    }

    /// Stores the user's conversation step in the session store.
    func saveSession(_ user: String, agent: String, step: String, correlation: String) async {
        let body = Array(#"{"user_id":"\#(user)","agent":"\#(agent)","step":"\#(step)"}"#.utf8)
        _ = try? await call(.POST, "/rest/v1/sessions?user_id=eq.\(Self.encode(user))", body: body, deadline: deadline, correlation: correlation)
    }

    private static func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    /// The agent's backend (EasyMO's agent edge functions): reachable and willing?
    func agent(_ name: String, correlation: String) async throws(Failure) {
        _ = try await call(.POST, "/agents/\(name)", body: Array("{}".utf8), deadline: deadline, correlation: correlation)
    }

    private func call(_ method: HTTPMethod, _ path: String, body: [UInt8] = [], deadline: Duration, correlation: String,
                      on service: Service? = nil) async throws(Failure) -> Any
    {
        let service = service ?? services
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Correlation-ID": correlation]
        switch await service.execute(method, path, headers: headers, body: body, deadline: deadline, key: correlation.utf8.count) {
        case .success(let r) where (200..<300).contains(r.status):
            guard let json = try? JSONSerialization.jsonObject(with: Data(r.body)) else { throw .unavailable }
            return json
        case .failure(.timeout): throw .timeout
        default: throw .unavailable
        }
    }

    private static func rows(_ json: Any) throws(Failure) -> [Listing] {
        guard let rows = json as? [[String: Any]] else { throw .unavailable }
        return rows.compactMap { r in
            guard let id = r["id"] as? String, let title = r["title"] as? String else { return nil }
            return Listing(id: id, title: title, detail: r["detail"] as? String ?? "", priceRWF: r["price_rwf"] as? Int ?? 0, tags: [])
        }
    }
}
