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

    /// One upstream service: its endpoint, and the base URL's path its calls' paths go under.
    struct Service: Sendable {
        let endpoint: Endpoint
        let base: String

        init(_ route: Route) throws {
            endpoint = try Endpoint(route, maxConnections: ReferenceBot.connectionsPerUpstream)
            if case .http(let url) = route, url.pathAndQuery != "/" { base = url.pathAndQuery } else { base = "" }
        }
    }

    let services: Service
    /// The LLM, when it has a base URL of its own (EasyMO's `OPENAI_BASE_URL`); else with the others.
    let llm: Service
    let llmDeadline: Duration
    let deadline: Duration

    init(_ upstreams: Route, llm: TargetURL? = nil, llmDeadline: Duration, deadline: Duration) throws {
        services = try Service(upstreams)
        self.llm = try llm.map { try Service(.http($0)) } ?? services
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
        guard let message = try? json.array("choices")?.first?.object("message"), let text = try? message.string("content") else {
            throw .unavailable
        }
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
        guard (try? json.string("status")) == "SUCCESSFUL" else { throw .unavailable }
    }

    /// Whether the session store still holds the user's conversation (PostgREST `sessions`).
    func sessionExists(_ user: String, correlation: String) async throws(Failure) -> Bool {
        let json = try await call(.GET, "/rest/v1/sessions?user_id=eq.\(Self.encode(user))", deadline: deadline, correlation: correlation)
        guard case .array(let rows) = json else { throw .unavailable }
        return !rows.isEmpty
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
                      on service: Service? = nil) async throws(Failure) -> JSONValue
    {
        let service = service ?? services
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Correlation-ID": correlation]
        switch await service.endpoint.execute(method, service.base + path, headers: headers, body: body, timeout: deadline,
                                              key: correlation.utf8.count) {
        case .success(let r) where (200..<300).contains(r.status):
            guard let json = try? JSONValue.parse(r.body) else { throw .unavailable }
            return json
        case .failure(.timeout): throw .timeout
        default: throw .unavailable
        }
    }

    private static func rows(_ json: JSONValue) throws(Failure) -> [Listing] {
        guard case .array(let rows) = json else { throw .unavailable }
        var listings: [Listing] = []
        for r in rows {
            guard case .object = r else { throw .unavailable }
            guard let id = try? r.string("id"), let title = try? r.string("title") else { continue }
            let price = (try? r.number("price_rwf")).flatMap { Int(exactly: $0) } ?? 0
            listings.append(Listing(id: id, title: title, detail: (try? r.string("detail")) ?? "", priceRWF: price, tags: []))
        }
        return listings
    }
}
