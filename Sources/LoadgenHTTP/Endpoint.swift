import NIOCore
import NIOHTTP1
import NIOPosix
import Wire

/// Where a part's requests go: a server over HTTP, or a responder in this process.
public enum Route: Sendable {
    /// Over HTTP at this base URL (the stand-ins `loadgen serve` runs, a fault proxy, a real service).
    case http(TargetURL)
    /// In this process: each request is handed to the responder as the request it would have sent, the
    /// same method, path, headers and bytes, without a socket. The embedded bot and loadgen's stand-ins
    /// share a process, and loopback HTTP between two parts of one process cost most of a turn's CPU.
    /// Faults, delays, stalls and the caller's deadline act the same (`ServerRequest.deadline`).
    case inProcess(any HTTPResponder)
}

/// The requests of one caller to one `Route`: pooled connections for `.http`, a function call for
/// `.inProcess`. One interface, so the bot's Graph sender, its upstream client and the status callbacks
/// do not care which.
public struct Endpoint: Sendable {
    private enum Way: Sendable {
        case http(HTTPClient)
        case inProcess(any HTTPResponder)
    }
    private let way: Way

    /// `route`'s requests, over at most `maxConnections` connections when it is HTTP (trusting `trust`
    /// besides the system's roots when it is HTTPS). Paths given to `execute` are absolute: a base URL's
    /// path is the caller's to prefix.
    public init(
        _ route: Route, maxConnections: Int, trust: TrustedCertificates = .system, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        switch route {
        case .http(let url): way = .http(try HTTPClient(origin: url.origin, maxConnections: maxConnections, trust: trust, group: group))
        case .inProcess(let responder): way = .inProcess(responder)
        }
    }

    /// One request: the response, or why there was none (no answer within `timeout`, a dropped
    /// connection, a refused connect). `key` keeps a caller's requests on one connection shard.
    public func execute(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: [UInt8], timeout: Duration, key: Int = 0
    ) async -> Result<ClientResponse, ClientFailure> {
        switch way {
        case .http(let client):
            return await client.execute(method: method, path: path, headers: headers, body: body, timeout: TimeAmount(timeout), key: key)
        case .inProcess(let responder):
            var request = ServerRequest(method: method, uri: path, headers: headers, body: body)
            let end = ContinuousClock.now + timeout
            request.deadline = end  // a responder holding the request stops waiting at it
            let response = if let now = responder.respondAtOnce(to: request) { now } else { await responder.respond(to: request) }
            if ContinuousClock.now >= end { return .failure(.timeout) }
            return Self.result(of: response)
        }
    }

    /// The response when the route gives it without waiting — a responder in this process that answers
    /// at once — or nil, and then `execute` is the way: a caller sending many small requests (status
    /// webhooks to the embedded bot) needs no task for those.
    public func executeAtOnce(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: [UInt8]) -> Result<ClientResponse, ClientFailure>? {
        guard case .inProcess(let responder) = way,
              let response = responder.respondAtOnce(to: ServerRequest(method: method, uri: path, headers: headers, body: body))
        else { return nil }
        return Self.result(of: response)
    }

    private static func result(of response: ServerResponse) -> Result<ClientResponse, ClientFailure> {
        if response.dropsConnection { return .failure(.io("connection reset by peer")) }
        return .success(ClientResponse(status: Int(response.status.code), headers: response.headers, body: response.body))
    }

    /// Closes idle connections (nothing to close in process).
    public func shutdown() {
        if case .http(let client) = way { client.shutdown() }
    }
}
