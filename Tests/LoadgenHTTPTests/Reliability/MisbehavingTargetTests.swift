@testable import LoadgenHTTP
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing
import Wire

/// Targets written to misbehave, on loopback: each failure is a value with its cause (an `io` error
/// past a cap, a `timeout` at the deadline), memory stays bounded, nothing hangs.
@Suite(.timeLimit(.minutes(1)))
struct MisbehavingTargetTests {
    /// What a raw target does once a request's first bytes arrive.
    enum Behaviour: Sendable {
        /// A chunked body that never ends: a chunk each time the last one was written.
        case endlessBody
        /// Answers in bytes that are not HTTP.
        case garbage
        /// A header line longer than any server would send.
        case hugeHeader(bytes: Int)
        /// Starts the response and then says nothing more (slow-loris from the server side).
        case stallAfterStatusLine
        /// Never answers.
        case silent
    }

    final class Misbehave: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        init(_ behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch behaviour {
            case .endlessBody:
                write(context, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                flood(context)
            case .garbage: write(context, String(repeating: "\u{0}\u{7F}garbage\r\n", count: 50))
            case .hugeHeader(let n): write(context, "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: n) + "\r\nContent-Length: 0\r\n\r\n")
            case .stallAfterStatusLine: write(context, "HTTP/1.1 200 OK\r\n")
            case .silent: break
            }
        }

        private func write(_ context: ChannelHandlerContext, _ text: String) {
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text)), promise: nil)
        }

        private func flood(_ context: ChannelHandlerContext) {
            let chunk = "10000\r\n" + String(repeating: "x", count: 0x10000) + "\r\n"  // 64 KiB at a time
            let loop = context.eventLoop
            let bound = NIOLoopBound(context, eventLoop: loop)
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: chunk))).whenSuccess { [self] in
                flood(bound.value)
            }
        }
    }

    /// A raw TCP target on loopback port 0 behaving as `behaviour`; closed when `body` returns.
    func withTarget<T: Sendable>(_ behaviour: Behaviour, _ body: (Origin) async throws -> T) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { $0.pipeline.addHandler(Misbehave(behaviour)) }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        do {
            let result = try await body(try TargetURL("http://127.0.0.1:\(port)/").origin)
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    @Test func aBodyThatNeverEndsIsCutAtTheCap() async throws {
        let result = try await withTarget(.endlessBody) { origin in
            let client = try HTTPClient(origin: origin, maxConnections: 2, maxResponseBytes: 1 << 20)
            return await client.execute(method: .POST, path: "/", body: Array("{}".utf8), timeout: .seconds(30))
        }
        #expect(failure(result) == .io("the response body is over 1048576 bytes"))
    }

    @Test func garbageIsAnIOError() async throws {
        let result = try await withTarget(.garbage) { origin in
            await (try HTTPClient(origin: origin, maxConnections: 1)).execute(method: .POST, path: "/", timeout: .seconds(30))
        }
        guard case .io? = failure(result) else { Issue.record("got \(result)"); return }
    }

    @Test func aHeaderPastTheParsersCapIsAnIOError() async throws {
        let result = try await withTarget(.hugeHeader(bytes: 200_000)) { origin in
            await (try HTTPClient(origin: origin, maxConnections: 1)).execute(method: .POST, path: "/", timeout: .seconds(30))
        }
        guard case .io? = failure(result) else { Issue.record("got \(result)"); return }
    }

    @Test func aTargetThatStallsMidResponseTimesOut() async throws {
        let result = try await withTarget(.stallAfterStatusLine) { origin in
            await (try HTTPClient(origin: origin, maxConnections: 1)).execute(method: .POST, path: "/", timeout: .milliseconds(200))
        }
        #expect(failure(result) == .timeout)
    }

    /// Requests queued behind a saturated pool time out at their own deadline, from the call: a run's
    /// last turns cannot wait in line long after it should have ended. (Before, a waiter waited for as
    /// long as the connection was held — here, for ever.)
    @Test func aRequestQueuedForAConnectionTimesOutAtItsDeadline() async throws {
        let (holder, queued) = try await withTarget(.silent) { origin in
            let pool = ConnectionPool(origin: origin, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), tls: nil, maxConnections: 1,
                                      connectTimeout: .seconds(5), maxResponseBytes: 1024)
            let holder = await pool.acquire(by: .now() + .hours(1))
            let queued = await pool.acquire(by: .now() + .milliseconds(100))
            if case .success(let c) = holder { c.close(); pool.release(c) }
            return (holder, queued)
        }
        guard case .success = holder else { Issue.record("no first connection: \(holder)"); return }
        guard case .failure(.timeout) = queued else { Issue.record("the queued acquire got \(queued)"); return }
    }
}

extension MisbehavingTargetTests {
    /// One timer serves every waiter of a pool: a waiter with a nearer deadline, queued after one with a
    /// later deadline, still expires at its own, and the other at its own after it.
    @Test func waitersExpireEachAtItsOwnDeadline() async throws {
        let (early, late, order) = try await withTarget(.silent) { origin in
            let pool = ConnectionPool(origin: origin, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), tls: nil, maxConnections: 1,
                                      connectTimeout: .seconds(5), maxResponseBytes: 1024)
            let holder = await pool.acquire(by: .now() + .hours(1))
            let order = Mutex<[String]>([])
            let late = Task {
                let result = await pool.acquire(by: .now() + .milliseconds(600))
                order.withLock { $0.append("late") }
                return result
            }
            await Task.yield()
            let early = await pool.acquire(by: .now() + .milliseconds(100))
            order.withLock { $0.append("early") }
            let lateResult = await late.value
            if case .success(let c) = holder { c.close(); pool.release(c) }
            return (early, lateResult, order.withLock { $0 })
        }
        guard case .failure(.timeout) = early, case .failure(.timeout) = late else { Issue.record("got \(early) and \(late)"); return }
        #expect(order == ["early", "late"])
    }
}

extension MisbehavingTargetTests {
    /// A waiter served before its deadline leaves the deadline in the pool's heap; the timer set for it
    /// finds no one to expire and is set again for the next waiter, who still times out at its own.
    @Test func aServedWaitersDeadlineDoesNotStrandTheNext() async throws {
        let (first, second) = try await withTarget(.silent) { origin in
            let pool = ConnectionPool(origin: origin, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), tls: nil, maxConnections: 1,
                                      connectTimeout: .seconds(5), maxResponseBytes: 1024)
            guard case .success(let held) = await pool.acquire(by: .now() + .hours(1)) else { return (false, false) }
            let served = Task { await pool.acquire(by: .now() + .milliseconds(200)) }
            while pool.waiters == 0 { await Task.yield() }
            pool.release(held)
            guard case .success(let c) = await served.value else { return (false, false) }
            let timedOut = await pool.acquire(by: .now() + .milliseconds(400))
            c.close()
            pool.release(c)
            if case .failure(.timeout) = timedOut { return (true, true) }
            return (true, false)
        }
        #expect(first, "the first waiter was not served")
        #expect(second, "the second waiter did not time out")
    }
}

extension MisbehavingTargetTests {
    /// The pool counts its requests and the ones that waited long for a connection, with the longest wait.
    @Test func waitsForAConnectionAreCounted() async throws {
        let waits = try await withTarget(.silent) { origin in
            let pool = ConnectionPool(origin: origin, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), tls: nil, maxConnections: 1,
                                      connectTimeout: .seconds(5), maxResponseBytes: 1024)
            guard case .success(let held) = await pool.acquire(by: .now() + .hours(1)) else { return ConnectionWaits() }
            _ = await pool.acquire(by: .now() + .milliseconds(150))  // waits, and gives up
            held.close()
            pool.release(held)
            return pool.waits
        }
        #expect(waits.requests == 2 && waits.waitedLong == 1)
        #expect(waits.longest >= .milliseconds(150) && waits.longest < .seconds(30))
    }
}

/// The failure of a request, nil when it was answered.
func failure(_ result: Result<ClientResponse, ClientFailure>) -> ClientFailure? {
    if case .failure(let f) = result { return f }
    return nil
}
