import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import Wire

/// A lean HTTP/1.1 client for one origin over pooled keep-alive connections.
///
/// Built for the webhook hot path: 10,000 simulated users share a few hundred connections. The pool is
/// split into shards, one per event loop, each with its own lock, so users of different shards never
/// contend and a connection's I/O stays on one thread.
public final class HTTPClient: Sendable {
    /// The origin requests go to.
    public let origin: Origin
    private let shards: [ConnectionPool]
    /// `origin.hostHeader`, worked out once rather than for every request.
    private let hostHeader: String

    /// The largest response body a client takes by default (a webhook's ack or a Graph API answer is tiny).
    public static let defaultMaxResponseBytes = 1 << 20

    /// A client for `origin` holding at most `maxConnections` open connections in total, taking response
    /// bodies up to `maxResponseBytes` (a longer one is an `io` failure and its connection is closed), and
    /// trusting `trust` besides the system's roots when the origin is HTTPS.
    public init(
        origin: Origin, maxConnections: Int, connectTimeout: TimeAmount = .seconds(5), maxResponseBytes: Int = HTTPClient.defaultMaxResponseBytes,
        trust: TrustedCertificates = .system, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        self.origin = origin
        hostHeader = origin.hostHeader
        let loops = Array(group.makeIterator())
        let count = max(1, min(loops.count, maxConnections))
        let tls: NIOSSLContext? = origin.tls ? try trust.clientContext() : nil
        shards = (0..<count).map { i in
            ConnectionPool(origin: origin, eventLoop: loops[i], tls: tls,
                           maxConnections: max(1, maxConnections / count + (i < maxConnections % count ? 1 : 0)),
                           connectTimeout: connectTimeout, maxResponseBytes: maxResponseBytes)
        }
    }

    /// The head of `method` requests for `path` with `headers` on each (the `Host` is the client's own).
    public func head(_ method: HTTPMethod, _ path: String, headers: some Sequence<(String, String)> = []) -> RequestHead {
        RequestHead(method: method, path: path, host: hostHeader, headers: headers)
    }

    /// Sends one request on a pooled connection of shard `key % shards` and returns the response.
    /// `timeout` counts from the call, waiting for a free connection included: a request queued behind
    /// a saturated pool times out like one the server is slow to answer. Never throws: a failure is a
    /// value, like any other sample.
    public func execute(
        method: HTTPMethod, path: String, headers: HTTPHeaders = [:], body: [UInt8] = [], timeout: TimeAmount,
        key: Int = 0
    ) async -> Result<ClientResponse, ClientFailure> {
        await execute(head(method, path, headers: headers.map { ($0.name, $0.value) }), header: nil, body: body, timeout: timeout, key: key)
    }

    /// Sends `head`'s request with `header` added (the one that changes per request, a signature) and `body`,
    /// like `execute(method:path:headers:body:timeout:key:)` but with the fixed part encoded once by the
    /// caller: the generator's hot path.
    public func execute(
        _ head: RequestHead, header: (name: String, value: String)?, body: [UInt8] = [], timeout: TimeAmount, key: Int = 0
    ) async -> Result<ClientResponse, ClientFailure> {
        guard timeout > .zero else { return .failure(.timeout) }
        let pool = shards[abs(key) % shards.count]
        let deadline = NIODeadline.now() + timeout
        let connection: HTTPClientConnection
        switch await pool.acquire(by: deadline) {
        case .success(let c): connection = c
        case .failure(let failure): return .failure(failure)
        }
        // Cancellation closes the connection, which fails the request at once: a stopped run does not
        // wait out a stalled upstream.
        let result = await withTaskCancellationHandler {
            await connection.execute(head, header: header, body: body, by: deadline)
        } onCancel: {
            connection.close()
        }
        pool.release(connection)
        return result
    }

    /// How long requests have waited for a connection so far, over every shard.
    public var connectionWaits: ConnectionWaits { shards.reduce(ConnectionWaits()) { $0 + $1.waits } }

    /// Closes every idle connection (in-flight ones close when they finish).
    public func shutdown() {
        for shard in shards { shard.shutdown() }
    }
}
