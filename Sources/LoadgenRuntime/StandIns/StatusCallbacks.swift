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
/// its own loop delivers the statuses, and the driver reads the counts for the report.
public final class StatusCallbacks: Sendable {
    public struct Counts: Sendable, Codable, Equatable {
        public var sent = 0
        public var failed = 0
        public var dropped = 0
    }

    private struct Job: Sendable { var wamid: String, recipient: String }

    private let client: HTTPClient
    private let path: String
    private let signer: WebhookSigner
    private let business: BusinessIdentity
    private let jobs: AsyncStream<Job>
    private let sink: AsyncStream<Job>.Continuation
    private let counts = Mutex(Counts())
    /// Sends whose three statuses are not all delivered yet.
    private let pending = Atomic<Int>(0)

    /// Callbacks to `target`, signed with `signer`.
    /// The connections callbacks take to the target.
    public static let defaultConnections = 16

    public init(target: TargetURL, signer: WebhookSigner, business: BusinessIdentity, connections: Int = StatusCallbacks.defaultConnections) throws {
        client = try HTTPClient(origin: target.origin, maxConnections: connections)
        path = target.pathAndQuery
        self.signer = signer
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

    /// Delivers statuses until the calling task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withTaskCancellationHandler { await StopSignal().wait() } onCancel: { self.sink.finish() }
            }
            for await job in jobs {
                group.addTask {
                    await self.post(job, "sent")
                    await LoopTimers.shared.sleep(for: .milliseconds(50))
                    await self.post(job, "delivered")
                    await LoopTimers.shared.sleep(for: .milliseconds(250))
                    await self.post(job, "read")
                    self.pending.subtract(1, ordering: .relaxed)
                }
            }
        }
        client.shutdown()
    }

    private func post(_ job: Job, _ status: String) async {
        let body = StatusEnvelope.render(wamid: job.wamid, status: status, recipient: job.recipient,
                                         timestamp: Int64(Date().timeIntervalSince1970), business: business)
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Hub-Signature-256": signer.signature(for: body),
                                    "User-Agent": "facebookexternalua"]
        let result = await client.execute(method: .POST, path: path, headers: headers, body: body, timeout: .seconds(5),
                                          key: job.recipient.utf8.count)
        let ok = if case .success(let r) = result { r.status == 200 } else { false }
        counts.withLock { ok ? ($0.sent += 1) : ($0.failed += 1) }
    }
}
