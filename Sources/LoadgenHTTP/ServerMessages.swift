import NIOHTTP1

/// A request as the embedded servers see it: head and whole body.
public struct ServerRequest: Sendable {
    public var method: HTTPMethod
    /// The request target, e.g. `/webhook?hub.mode=subscribe`.
    public var uri: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// True when the body was larger than the server's limit (and was not kept).
    public var bodyTooLarge: Bool
    /// When the last byte of the request arrived: timestamps taken here, not after the handler is
    /// scheduled, keep measured latencies free of the server's own queueing.
    public var receivedAt: ContinuousClock.Instant
    /// When the caller stops waiting, for a request handed over in process (like gRPC's propagated
    /// deadline): a responder that would wait past it stops waiting then. nil for requests off the wire.
    public var deadline: ContinuousClock.Instant? = nil

    public init(
        method: HTTPMethod, uri: String, headers: HTTPHeaders = [:], body: [UInt8] = [], bodyTooLarge: Bool = false,
        receivedAt: ContinuousClock.Instant = .now
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.receivedAt = receivedAt
    }

    /// The path without the query. (Read several times for every request the stand-ins and the bot
    /// route, so a slice, not a split into arrays.)
    public var path: Substring { uri[..<(uri.utf8.firstIndex(of: UInt8(ascii: "?")) ?? uri.endIndex)] }

    /// Query parameters, percent-decoded (`+` as space).
    public var query: [String: String] {
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return [:] }
        let q = uri[uri.index(after: mark)...]
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[PercentDecoding.decode(kv[0])] = kv.count > 1 ? PercentDecoding.decode(kv[1]) : ""
        }
        return out
    }
}

/// A response from a responder.
public struct ServerResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response.
    public static func text(_ status: HTTPResponseStatus, _ text: String, headers: HTTPHeaders = [:]) -> ServerResponse {
        var h = headers
        h.replaceOrAdd(name: "Content-Type", value: "text/plain; charset=utf-8")
        return ServerResponse(status: status, headers: h, body: Array(text.utf8))
    }

    /// No response at all: the server closes the connection (a connection reset, as a fault).
    public static let dropConnection = ServerResponse(status: .custom(code: 599, reasonPhrase: "loadgen: drop connection"))

    /// Whether this is `dropConnection`.
    public var dropsConnection: Bool { status.code == 599 && status.reasonPhrase == "loadgen: drop connection" }

    /// A JSON response from bytes already encoded.
    public static func json(_ status: HTTPResponseStatus, _ body: [UInt8], headers: HTTPHeaders = [:]) -> ServerResponse {
        var h = headers
        h.replaceOrAdd(name: "Content-Type", value: "application/json")
        return ServerResponse(status: status, headers: h, body: body)
    }
}

/// Answers requests. One method, so servers, stand-ins and test doubles are interchangeable.
public protocol HTTPResponder: Sendable {
    func respond(to request: ServerRequest) async -> ServerResponse

    /// The response right away, for a responder that need not wait for anything to give it (nil: it
    /// must, and `respond(to:)` answers). A server calls this on the connection's event loop first, so
    /// a request answered at once costs no task: the embedded bot acks every webhook this way.
    func respondAtOnce(to request: ServerRequest) -> ServerResponse?
}

extension HTTPResponder {
    public func respondAtOnce(to request: ServerRequest) -> ServerResponse? { nil }
}

/// Percent-decoding for query strings.
enum PercentDecoding {
    static func decode(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "+") { bytes.append(UInt8(ascii: " ")) }
            else if c == UInt8(ascii: "%"), let h = it.next(), let l = it.next(), let v = hexValue(h, l) { bytes.append(v) }
            else { bytes.append(c) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ h: UInt8, _ l: UInt8) -> UInt8? {
        func nib(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 65...70: c - 55
            case 97...102: c - 87
            default: nil
            }
        }
        guard let a = nib(h), let b = nib(l) else { return nil }
        return a << 4 | b
    }
}
