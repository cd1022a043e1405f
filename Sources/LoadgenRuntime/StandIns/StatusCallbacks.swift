import Foundation
import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Plays Meta's status webhooks: for every message the bot sends through the stand-in Graph API, a
/// signed `sent`, then `delivered` (50 ms later) and `read` (300 ms later) delivery to the bot's webhook
/// — the 3× status load Meta's capacity guidance warns about, and what bots that gate on statuses need.
/// `sent` and `delivered` carry the conversation and the pricing, as Meta's do (reference §2.4); a
/// message Meta fails later (`--graph-limits`' 24-hour window) gets one `failed` status with its error.
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

    private struct Job: Sendable {
        var wamid: String
        var recipient: String
        var pricing: MessagePricing
        /// Set: the message failed, and this is its only status.
        var failure: GraphError?
    }

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
    private let templates: BusinessTemplates?
    private let jobs: AsyncStream<Job>
    private let sink: AsyncStream<Job>.Continuation
    private let counts = Mutex(Counts())
    /// Sends whose three statuses are not all delivered yet.
    private let pending = Atomic<Int>(0)

    /// The connections callbacks take to a target over HTTP.
    public static let defaultConnections = 16

    /// Statuses as `business` sends them; a template send is priced as its category in `templates`
    /// (utility when they do not say).
    public init(business: BusinessIdentity, templates: BusinessTemplates? = nil) {
        self.business = business
        self.templates = templates
        (jobs, sink) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(10_000))
    }

    /// Schedules the statuses of one bot send (called from the stand-in; never blocks); with `failure`,
    /// the one `failed` status of a message Meta accepted and then failed.
    public func enqueue(_ send: GraphSend, failure: GraphError? = nil) {
        guard case .message(let reply) = send.kind, let wamid = reply.messageID,
              let recipient = send.toDigits ?? send.recipient else { return }
        let category = send.template.flatMap { templates?.template($0)?.category } ?? "utility"
        let pricing: MessagePricing = send.template == nil ? .service : .template(category: category)
        pending.add(1, ordering: .relaxed)
        if case .dropped = sink.yield(Job(wamid: wamid, recipient: recipient, pricing: pricing, failure: failure)) {
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
                    // NIO runs a task on the loop that last resumed it, so every job started here would stay
                    // on this loop with its timers and posts: spread them over the loops instead.
                    await Self.settle(on: MultiThreadedEventLoopGroup.singleton.next())
                    defer { self.pending.subtract(1, ordering: .relaxed) }
                    guard job.failure == nil else { return await self.post(job, "failed", by: delivery) }
                    await self.post(job, "sent", by: delivery)
                    await LoopTimers.shared.sleep(for: .milliseconds(50))
                    await self.post(job, "delivered", by: delivery)
                    await LoopTimers.shared.sleep(for: .milliseconds(250))
                    await self.post(job, "read", by: delivery)
                }
            }
        }
        delivery.endpoint.shutdown()
    }

    /// Moves the calling task to `loop`'s thread (when NIO is the executor: resumed there, it stays there).
    private static func settle(on loop: any EventLoop) async { _ = try? await loop.submit {}.get() }

    private func post(_ job: Job, _ status: String, by delivery: Delivery) async {
        let body = StatusEnvelope.render(Self.status(job, status, at: Int64(Date().timeIntervalSince1970), business: business), business: business)
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Hub-Signature-256": delivery.signer.signature(for: body),
                                    "User-Agent": "facebookexternalua"]
        let result = await delivery.endpoint.execute(.POST, delivery.path, headers: headers, body: body, timeout: .seconds(5),
                                                     key: job.recipient.utf8.count)
        let ok = if case .success(let r) = result { r.status == 200 } else { false }
        counts.withLock { ok ? ($0.sent += 1) : ($0.failed += 1) }
    }

    /// A status as Meta sends it: `sent` and `delivered` with the conversation (its expiry on `sent`
    /// only) and the pricing, `read` without them — Meta puts both on `sent` and one of delivered/read
    /// (reference §2.4) — and `failed` with its error. The conversation's id follows from the business,
    /// the user and its origin; it expires 24 hours after the message.
    private static func status(_ job: Job, _ status: String, at now: Int64, business: BusinessIdentity) -> MessageStatus {
        var s = MessageStatus(wamid: job.wamid, status: status, recipient: job.recipient, timestamp: now)
        if let failure = job.failure {
            s.errors = [failure]
        } else if status != "read" {
            let digest = SeededRandom.digest(Array("\(business.phoneNumberID)/\(job.recipient)/\(job.pricing.category)".utf8))
            let id = String(digest, radix: 16).leftPadded(to: 16) + String(digest &* 0x9E37_79B9_7F4A_7C15, radix: 16).leftPadded(to: 16)
            s.conversation = .init(id: id, expiresAt: status == "sent" ? now + 86_400 : nil, origin: job.pricing.category)
            s.pricing = job.pricing
        }
        return s
    }
}

extension String {
    /// Zeros in front up to `width` characters (a hex digest of fixed length).
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
