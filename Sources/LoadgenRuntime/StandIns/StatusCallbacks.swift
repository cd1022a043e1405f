import Foundation
import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1
import Synchronization

/// Plays Meta's status webhooks: for every message the bot sends through the stand-in Graph API, a
/// signed `sent`, then `delivered` (50 ms later) and `read` (300 ms later) delivery to the bot's webhook
/// — the 3× status load Meta's capacity guidance warns about, and what bots that gate on statuses need.
///
/// Shared on purpose: one per run, owned by the runtime; the stand-in Graph API enqueues every bot send,
/// its own loop (`run(to:)`) delivers the statuses, and the driver reads the counts for the report. The
/// queue exists before the bot does (the embedded bot is handed the stand-in that feeds it), the
/// delivery only once the bot is there.
public final class StatusCallbacks: Sendable {
    public struct Counts: Sendable, Codable, Equatable {
        public var sent = 0
        public var failed = 0
        public var dropped = 0
    }

    private struct Job: Sendable { var wamid: String, recipient: String }

    /// Where the statuses go: the bot's webhook, and the secret they are signed with.
    public struct Delivery: Sendable {
        var endpoint: Endpoint
        var path: String
        var signer: WebhookSigner

        /// To the webhook at `path` of `route`: over HTTP on `connections` connections, or in this process
        /// (the embedded bot's webhook) as the same signed requests.
        public init(to route: Route, path: String, appSecret: Secret, connections: Int = StatusCallbacks.defaultConnections) throws {
            endpoint = try Endpoint(route, maxConnections: connections)
            self.path = path
            signer = WebhookSigner(appSecret: appSecret)
        }
    }

    private let business: BusinessIdentity
    private let jobs: AsyncStream<Job>
    private let sink: AsyncStream<Job>.Continuation
    private let counts = Mutex(Counts())
    /// Sends whose three statuses are not all delivered yet.
    private let pending = Atomic<Int>(0)

    /// The connections callbacks take to a target over HTTP.
    public static let defaultConnections = 16

    /// Statuses as `business` sends them.
    public init(business: BusinessIdentity) {
        self.business = business
        (jobs, sink) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(10_000))
    }

    /// Schedules the statuses of one bot send (called from the stand-in; never blocks).
    public func enqueue(_ send: GraphSend) {
        guard case .message(let reply) = send.kind, let wamid = reply.messageID,
              let recipient = send.toDigits ?? send.recipient else { return }
        pending.add(1, ordering: .relaxed)
        if case .dropped = sink.yield(Job(wamid: wamid, recipient: recipient)) {
            counts.withLock { $0.dropped += 1 }
            pending.subtract(1, ordering: .relaxed)
        }
    }

    /// Waits (at most `limit`) until the statuses of every send so far are delivered: a run's last
    /// replies still have their `read` status 300 ms out when the load stops, and the report counts them.
    public func drain(within limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while pending.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline {
            await LoopTimers.shared.sleep(for: .milliseconds(10))
        }
    }

    /// What was delivered so far.
    public var delivered: Counts { counts.withLock { $0 } }

    /// Delivers statuses by `delivery` until the calling task is cancelled.
    public func run(to delivery: Delivery) async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withTaskCancellationHandler { await StopSignal().wait() } onCancel: { self.sink.finish() }
            }
            for await job in jobs {
                group.addTask {
                    await self.post(job, "sent", by: delivery)
                    await LoopTimers.shared.sleep(for: .milliseconds(50))
                    await self.post(job, "delivered", by: delivery)
                    await LoopTimers.shared.sleep(for: .milliseconds(250))
                    await self.post(job, "read", by: delivery)
                    self.pending.subtract(1, ordering: .relaxed)
                }
            }
        }
        delivery.endpoint.shutdown()
    }

    private func post(_ job: Job, _ status: String, by delivery: Delivery) async {
        let body = StatusEnvelope.render(wamid: job.wamid, status: status, recipient: job.recipient,
                                         timestamp: Int64(Date().timeIntervalSince1970), business: business)
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Hub-Signature-256": delivery.signer.signature(for: body),
                                    "User-Agent": "facebookexternalua"]
        let result = await delivery.endpoint.execute(.POST, delivery.path, headers: headers, body: body, timeout: .seconds(5),
                                                     key: job.recipient.utf8.count)
        let ok = if case .success(let r) = result { r.status == 200 } else { false }
        counts.withLock { ok ? ($0.sent += 1) : ($0.failed += 1) }
    }
}
