import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Wire

/// The connections of one shard: idle ones to reuse, a cap on how many exist, and waiters when all are busy.
///
/// Shared on purpose: owned by its `HTTPClient`; every user of the shard acquires and releases here.
final class ConnectionPool: Sendable {
    fileprivate struct State {
        var idle: [HTTPClientConnection] = []
        var open = 0
        /// Waiters by ticket, served in ticket order; one whose deadline passed has left the table.
        var waiting: [Int: CheckedContinuation<Grant, Never>] = [:]
        /// The waiters' deadlines, earliest first; those of waiters served or gone stay until they come
        /// first (they are then dropped).
        var deadlines = MinHeap<Expiry>()
        /// When the expiry timer is set for (nil: none is).
        var expiryAt: NIODeadline?
        var queue: [Int] = []
        var queueHead = 0
        var nextTicket = 0
        var closed = false
        var waits = ConnectionWaits()
    }

    fileprivate enum Grant { case reuse(HTTPClientConnection), create, expired }

    fileprivate struct Expiry: Comparable {
        var deadline: NIODeadline
        var ticket: Int
        static func < (a: Expiry, b: Expiry) -> Bool { (a.deadline, a.ticket) < (b.deadline, b.ticket) }
    }

    private let origin: Origin
    private let eventLoop: any EventLoop
    private let tls: NIOSSLContext?
    private let maxConnections: Int
    private let connectTimeout: TimeAmount
    private let maxResponseBytes: Int
    /// The target's address when its host is an IP literal (nil: a name, resolved at each connect). Given a
    /// host string, a bootstrap resolves it and races its addresses (happy eyeballs, with timers of its own)
    /// on every connect, which a literal does not need.
    private let literal: SocketAddress?
    private let state = Mutex(State())

    init(origin: Origin, eventLoop: any EventLoop, tls: NIOSSLContext?, maxConnections: Int, connectTimeout: TimeAmount, maxResponseBytes: Int) {
        self.maxResponseBytes = maxResponseBytes
        self.origin = origin
        self.eventLoop = eventLoop
        self.tls = tls
        self.maxConnections = maxConnections
        self.connectTimeout = connectTimeout
        literal = try? SocketAddress(ipAddress: origin.host, port: origin.port)
    }

    /// A connection for exclusive use until `release`, or `.timeout` when none is free before `deadline`
    /// (or the task is cancelled while it waits). A connection at hand is given without reading the clock
    /// (the caller's deadline is ahead: it was just set); one waited for or connected is given only when
    /// the deadline has not passed since.
    ///
    /// `again`: the same request asking once more (the connection it was handed had broken), which is
    /// not counted a second time in `waits`; `waited`, how long it had waited before (nil: it had not).
    /// A request's wait is noted once, all of it, when it stops waiting.
    func acquire(
        by deadline: NIODeadline, again: Bool = false, waited earlier: Duration? = nil
    ) async -> Result<HTTPClientConnection, ClientFailure> {
        let immediate: Grant? = state.withLock { s in
            if !again { s.waits.requests += 1 }
            while let c = s.idle.popLast() {
                if c.isReusable { return .reuse(c) }
                s.open -= 1
                c.close()
            }
            if s.open < maxConnections {
                s.open += 1
                return .create
            }
            return nil
        }
        let grant: Grant
        var late = false
        var waited = earlier
        if let immediate { grant = immediate } else {
            let began = NIODeadline.now()
            grant = await wait(until: deadline)
            let now = NIODeadline.now()
            waited = (earlier ?? .zero) + .nanoseconds((now - began).nanoseconds)
            late = now >= deadline
        }
        if case .reuse(let c) = grant, !late, !c.isReusable {
            release(c)  // broken while idle: give the slot back and try again
            return await acquire(by: deadline, again: true, waited: waited)
        }
        if let waited { state.withLock { $0.waits.note(waited) } }
        switch grant {
        case .expired: return .failure(.timeout)
        case .reuse(let c):
            if late {
                release(c)
                return .failure(.timeout)
            }
            return .success(c)
        case .create:
            if late {
                giveBackSlot()
                return .failure(.timeout)
            }
            do {
                let c = try await connect()
                guard NIODeadline.now() < deadline else {
                    release(c)
                    return .failure(.timeout)
                }
                return .success(c)
            } catch {
                giveBackSlot()
                return .failure(.connect(String(describing: error)))
            }
        }
    }

    /// Queues for the next released connection or slot; `.expired` at `deadline` or on cancellation.
    ///
    /// One timer serves every waiter: it is set for the earliest deadline, and when it fires it expires
    /// the waiters that are past theirs and is set again for the earliest left. A timer per waiter stayed
    /// in the event loop's heap until its deadline, long after its waiter was served: at 100,000 users
    /// that heap held tens of thousands of them, and keeping it in order took 4 % of the CPU. The
    /// deadlines are a heap too, so that a fire costs the waiters it expires and not all of them (a scan
    /// of every waiter on each fire took 7 % of a run whose pool was exhausted, and put it further behind).
    private func wait(until deadline: NIODeadline) async -> Grant {
        let ticket = state.withLock { s in
            defer { s.nextTicket += 1 }
            return s.nextTicket
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Re-check under the lock: a release may have happened since.
                let (now, arm): (Grant?, Bool) = state.withLock { s in
                    if Task.isCancelled { return (.expired, false) }
                    if let c = s.idle.popLast() { return (.reuse(c), false) }
                    if s.open < maxConnections { s.open += 1; return (.create, false) }
                    s.waiting[ticket] = continuation
                    s.deadlines.push(Expiry(deadline: deadline, ticket: ticket))
                    s.queue.append(ticket)
                    if let armed = s.expiryAt, armed <= deadline { return (nil, false) }
                    s.expiryAt = deadline
                    return (nil, true)
                }
                if let now { continuation.resume(returning: now) }
                if arm { setExpiry(deadline) }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: ticket) }?.resume(returning: .expired)
        }
    }

    private func setExpiry(_ deadline: NIODeadline) {
        eventLoop.scheduleTask(deadline: deadline) { [self] in expireWaiters() }
    }

    /// The expiry timer fired: expires the waiters past their deadline, and sets the timer for the
    /// earliest left. A timer that an earlier one replaced finds the timer set for later, and does nothing.
    private func expireWaiters() {
        let now = NIODeadline.now()
        let (expired, next) = state.withLock { s -> ([CheckedContinuation<Grant, Never>], NIODeadline?) in
            guard let armed = s.expiryAt, armed <= now else { return ([], nil) }
            var past: [CheckedContinuation<Grant, Never>] = []
            while let first = s.deadlines.first, first.deadline <= now || s.waiting[first.ticket] == nil {
                s.deadlines.popFirst()
                if let waiter = s.waiting.removeValue(forKey: first.ticket) { past.append(waiter) }
            }
            s.expiryAt = s.deadlines.first?.deadline
            return (past, s.expiryAt)
        }
        for waiter in expired { waiter.resume(returning: .expired) }
        if let next { setExpiry(next) }
    }

    /// How many wait for a connection now (tests).
    var waiters: Int { state.withLock { $0.waiting.count } }

    /// How long requests have waited for a connection so far.
    var waits: ConnectionWaits { state.withLock { $0.waits } }

    /// Returns a connection; broken ones are closed and their slot handed to a waiter.
    func release(_ connection: HTTPClientConnection) {
        let reusable = connection.isReusable
        if !reusable { connection.close() }
        let waiter: (CheckedContinuation<Grant, Never>, Grant)? = state.withLock { s in
            if let w = s.popWaiter() {
                return (w, reusable ? .reuse(connection) : .create)
            }
            if reusable, !s.closed { s.idle.append(connection) } else {
                s.open -= 1
                if reusable { connection.close() }
            }
            return nil
        }
        if let (w, grant) = waiter { w.resume(returning: grant) }
    }

    private func giveBackSlot() {
        let waiter = state.withLock { s -> CheckedContinuation<Grant, Never>? in
            if let w = s.popWaiter() { return w }
            s.open -= 1
            return nil
        }
        waiter?.resume(returning: .create)
    }

    func shutdown() {
        let idle = state.withLock { s -> [HTTPClientConnection] in
            s.closed = true
            defer { s.open -= s.idle.count; s.idle = [] }
            return s.idle
        }
        for c in idle { c.close() }
    }

    private func connect() async throws -> HTTPClientConnection {
        let tls = self.tls
        let hostname = origin.host
        let maxBody = maxResponseBytes
        // The handler is kept as it is made, not looked up in the pipeline once connected: a TLS handshake
        // that fails at once (a plain-HTTP target) closes the channel and empties its pipeline first, and
        // the look-up failed with `notFound`, hiding why.
        let made = NIOLoopBoundBox.makeEmptyBox(valueType: ResponseHandler.self, eventLoop: eventLoop)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let serverName = hostname.first?.isNumber == true || hostname.contains(":") ? nil : hostname
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    // Requests go out already encoded (`RequestHead`), responses are read by `ResponseParser`.
                    let handler = ResponseHandler(maxBodyBytes: maxBody)
                    made.value = handler
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel = try await (literal.map { bootstrap.connect(to: $0) } ?? bootstrap.connect(host: origin.host, port: origin.port)).get()
        return try await channel.eventLoop.submit {
            guard let handler = made.value else { throw ChannelPipelineError.notFound }  // the initializer ran: cannot happen
            return HTTPClientConnection(channel: channel, handler: handler)  // binds the handler to its loop
        }.get()
    }
}

extension ConnectionPool.State {
    /// The longest-waiting waiter still waiting (those whose deadline passed are skipped).
    fileprivate mutating func popWaiter() -> CheckedContinuation<ConnectionPool.Grant, Never>? {
        while queueHead < queue.count {
            let ticket = queue[queueHead]
            queueHead += 1
            if queueHead > 64, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            if let w = waiting.removeValue(forKey: ticket) { return w }
        }
        return nil
    }
}

/// How long a client's requests waited for one of its connections: a request that waits is timed from
/// when it was due, so its latency includes loadgen's own queue, not only the server's time.
public struct ConnectionWaits: Sendable, Equatable {
    /// A wait past this is a long one.
    public static let long = Duration.milliseconds(100)

    /// Requests that asked for a connection.
    public var requests = 0
    /// Those that waited longer than `long` (or gave up waiting).
    public var waitedLong = 0
    /// The longest wait.
    public var longest = Duration.zero

    public init(requests: Int = 0, waitedLong: Int = 0, longest: Duration = .zero) {
        self.requests = requests
        self.waitedLong = waitedLong
        self.longest = longest
    }

    mutating func note(_ wait: Duration) {
        if wait > Self.long { waitedLong += 1 }
        longest = max(longest, wait)
    }

    /// Both clients' (or shards') waits together.
    public static func + (a: ConnectionWaits, b: ConnectionWaits) -> ConnectionWaits {
        ConnectionWaits(requests: a.requests + b.requests, waitedLong: a.waitedLong + b.waitedLong, longest: max(a.longest, b.longest))
    }
}
