import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// `loadgen proxy`: a fault-injecting reverse proxy in front of one real upstream, for bots that can
/// only be re-pointed by base URL (`OPENAI_BASE_URL`, a database URL…). Requests go through untouched —
/// method, path, query, headers and body byte for byte — except those the chaos plan hits at the
/// proxy's injection site, which get the pattern's fault instead.
public struct FaultProxy: HTTPResponder {
    private let client: HTTPClient
    private let basePath: String
    private let sites: [InjectionSite]
    private let injector: FaultInjector?
    private let timeout: Duration
    private let stallLimit: Duration

    /// The upstream names `--upstream NAME=URL` takes, and the injection sites each stands for (a
    /// database such as EasyMO's Supabase also holds the sessions and the catalogue).
    public static let sites: [String: [InjectionSite]] = [
        "llm": [.llm], "database": [.database, .search, .sessionStore], "search": [.search], "sessions": [.sessionStore],
        "payments": [.payments], "agents": [.agentBackend], "graph": [.vendorNotify],
    ]

    /// A proxy to `upstream` acting as injection sites `sites`.
    public init(upstream: TargetURL, sites: [InjectionSite], injector: FaultInjector?, timeout: Duration = .seconds(60),
                stallLimit: Duration = .seconds(60)) throws {
        client = try HTTPClient(origin: upstream.origin, maxConnections: 64, maxResponseBytes: 16 << 20)  // an upstream's answer, passed on
        basePath = upstream.pathAndQuery == "/" ? "" : upstream.pathAndQuery
        self.sites = sites
        self.injector = injector
        self.timeout = timeout
        self.stallLimit = stallLimit
    }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        if let (_, fault) = injector?.fault(at: sites, correlationID: request.headers.first(name: "X-Correlation-ID")),
           let response = await fault.apply(stallLimit: stallLimit) {
            return response
        }
        var headers = request.headers
        for hopByHop in ["Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "Content-Length", "Host"] {
            headers.remove(name: hopByHop)
        }
        switch await client.execute(method: request.method, path: basePath + request.uri, headers: headers, body: request.body,
                                    timeout: TimeAmount(timeout), key: request.body.count) {
        case .success(let answer):
            var out = answer.headers
            for hopByHop in ["Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length"] { out.remove(name: hopByHop) }
            return ServerResponse(status: HTTPResponseStatus(statusCode: answer.status), headers: out, body: answer.body)
        case .failure(.timeout):
            return .json(.gatewayTimeout, Array(#"{"error":"upstream timeout"}"#.utf8))
        case .failure:
            return .json(.badGateway, Array(#"{"error":"upstream unreachable"}"#.utf8))
        }
    }

    /// Closes the connections to the upstream.
    public func shutdown() { client.shutdown() }
}
