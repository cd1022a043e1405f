import Foundation
import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// The stand-in upstreams of a bot, on one HTTP server, each with a fault hook:
///
/// | route | shape | injection site |
/// |---|---|---|
/// | `POST /v1/chat/completions` | OpenAI chat completions | LLM |
/// | `GET /rest/v1/listings?category=eq.X` | PostgREST rows | catalogue search, database REST |
/// | `GET /rest/v1/sessions?user_id=eq.X`, `POST /rest/v1/sessions` | PostgREST rows | session store |
/// | `GET /ranking/top?category=X` | ranked rows | database REST (ranking service) |
/// | `POST /payments/momo` | MoMo-like `{"status":"SUCCESSFUL"}` | payment gateway |
/// | `POST /agents/{name}` | agent backend answer | agent backend |
///
/// Before answering, each route asks the `FaultInjector` for a fault at its site, passing the caller's
/// `X-Correlation-ID`, and applies it: an error status, a delay, a dropped connection, a stall, a
/// malformed body, an empty result or a 429 with `Retry-After`.
public struct UpstreamStandIns: HTTPResponder {
    private let injector: FaultInjector?
    private let catalogue = Catalogue()
    private let renderedRows: [String: [UInt8]]
    private let sessions = SessionTable()
    /// The longest a stalled call is held before it is dropped (every wait here is bounded).
    private let stallLimit: Duration

    /// Stand-ins injecting `injector`'s faults (its windows count from its `begin()`).
    public init(injector: FaultInjector?, stallLimit: Duration = .seconds(60)) {
        self.injector = injector
        self.stallLimit = stallLimit
        renderedRows = Dictionary(catalogue.all.map { ($0.id, Self.row($0)) }) { a, _ in a }
    }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        let path = String(request.path)
        let site: InjectionSite
        var alsoSite: InjectionSite?
        switch (request.method, path) {
        case (.POST, "/v1/chat/completions"): site = .llm
        case (.GET, "/rest/v1/listings"): (site, alsoSite) = (.search, .database)  // empty results, or the database dropping
        case (_, "/rest/v1/sessions"): site = .sessionStore
        case (.GET, "/ranking/top"): site = .database
        case (.POST, "/payments/momo"): site = .payments
        case (.POST, _) where path.hasPrefix("/agents/"): site = .agentBackend
        default: return .json(.notFound, Array(#"{"message":"no such route"}"#.utf8))
        }
        let correlation = request.headers.first(name: "X-Correlation-ID")
        // A session is lost where it is read: writes to the session store always land.
        let injectable = !(site == .sessionStore && request.method == .POST)
        if injectable, let (_, fault) = injector?.fault(at: site, correlationID: correlation)
            ?? alsoSite.flatMap({ injector?.fault(at: $0, correlationID: correlation) }),
           let response = await fault.apply(stallLimit: stallLimit, deadline: request.deadline) {
            return response
        }
        return await answer(site, request)
    }

    private func answer(_ site: InjectionSite, _ request: ServerRequest) async -> ServerResponse {
        let q = request.query
        switch site {
        case .llm:
            let prompt = (try? (try? JSONValue.parse(request.body))?.array("messages")?.last?.string("content")) ?? ""
            var w = JSONWriter()
            w.object { w in
                w.field("id", string: "chatcmpl-\(abs(prompt.hashValue % 1_000_000_000))")
                w.field("object", string: "chat.completion")
                w.field("model", string: "stand-in")
                w.field("choices") { w in
                    w.array { w in
                        w.object { w in
                            w.field("index") { $0.rawNumber("0") }
                            w.field("message") { w in
                                w.object { w in
                                    w.field("role", string: "assistant")
                                    w.field("content", string: "Here is what I found for \"\(prompt.prefix(60))\".")
                                }
                            }
                            w.field("finish_reason", string: "stop")
                        }
                    }
                }
            }
            return .json(.ok, w.bytes)
        case .search, .database:
            let raw = Self.operand(q["category"])
            guard let category = ListingCategory(rawValue: raw) else { return .json(.badRequest, Array(#"{"message":"unknown category"}"#.utf8)) }
            return .json(.ok, rows(catalogue.search(category, query: q["q"] ?? "")))
        case .sessionStore:
            let user = Self.operand(q["user_id"])
            if request.method == .POST {
                await sessions.put(user.isEmpty ? "anonymous" : user, body: request.body)
                return .json(.created, request.body)
            }
            return .json(.ok, await sessions.get(user).map { Array("[".utf8) + $0 + Array("]".utf8) } ?? Array("[]".utf8))
        case .payments:
            return .json(.ok, Array(#"{"status":"SUCCESSFUL","transactionId":"MP\#(UInt32.random(in: 100_000_000...999_999_999))"}"#.utf8))
        case .agentBackend:
            return .json(.ok, Array(#"{"success":true}"#.utf8))
        case .traffic, .vendorNotify:
            return .json(.notFound, Array("{}".utf8))
        }
    }

    /// The value of a PostgREST filter (`eq.farmer` → `farmer`; a plain value as it is).
    static func operand(_ filter: String?) -> String {
        guard let filter else { return "" }
        return filter.hasPrefix("eq.") ? String(filter.dropFirst(3)) : filter
    }

    /// PostgREST rows of `listings`, each row's JSON written once when the stand-ins start.
    func rows(_ listings: [Listing]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (n, l) in listings.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out += renderedRows[l.id] ?? Self.row(l)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func row(_ l: Listing) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            w.field("id", string: l.id)
            w.field("title", string: l.title)
            w.field("detail", string: l.detail)
            w.field("price_rwf") { $0.rawNumber(String(l.priceRWF)) }
        }
        return w.bytes
    }
}

/// The stand-in session table (PostgREST `sessions`): one JSON row per user, shared by every call.
actor SessionTable {
    private var rows: [String: [UInt8]] = [:]
    func put(_ user: String, body: [UInt8]) { rows[user] = body }
    func get(_ user: String) -> [UInt8]? { rows[user] }
}

extension FaultShape {
    /// Acts out the fault on a call: the response to send instead of the real one, or nil to answer
    /// normally (after a delay, if that was the fault). A wait ends at the caller's `deadline` (an
    /// in-process call), when the caller has given up. Shared by the stand-ins and the proxy.
    public func apply(stallLimit: Duration, deadline: ContinuousClock.Instant? = nil) async -> ServerResponse? {
        func wait(_ d: Duration) async -> Bool {
            let end = min(ContinuousClock.now + min(d, stallLimit), deadline ?? .now + stallLimit)
            await LoopTimers.shared.sleep(until: end)
            return deadline.map { ContinuousClock.now < $0 } ?? true
        }
        switch self {
        case .status(let code):
            return .json(HTTPResponseStatus(statusCode: code), Array(#"{"error":{"message":"injected fault","code":\#(code)}}"#.utf8))
        case .delay(let d):
            return await wait(d) ? nil : .dropConnection
        case .reset:
            return .dropConnection
        case .stall:
            _ = await wait(stallLimit)
            return .dropConnection
        case .malformedBody:
            return .json(.ok, Array(#"{"choices":[{"message":{"content":"#.utf8))
        case .emptyResult:
            return .json(.ok, Array("[]".utf8))
        case .rateLimited(let seconds):
            return .json(.tooManyRequests, Array(#"{"error":"rate_limited"}"#.utf8), headers: ["Retry-After": String(seconds)])
        case .invalidInput, .rateLimitBurst:
            return nil  // a traffic-side fault: nothing to do at an upstream
        }
    }
}
