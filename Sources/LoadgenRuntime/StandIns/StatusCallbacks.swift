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
        /// Posted and acked 200.
        public var sent = 0
        /// Posted and not acked 200: another status, or no answer.
        public var failed = 0
        public var dropped = 0
        /// What the first of the `failed` got (`HTTP 401`, `no answer within 5s`).
        public var firstFailure: String?
    }

    private struct Job: Sendable {
        var wamid: String
        var recipient: String
        var pricing: MessagePricing
        /// Set: the message failed, and this is its only status.
        var failure: GraphError?
        /// Who the message went to, when the user is known: how statuses name them (`contacts[]`,
        /// `recipient_user_id`), and whether it went to their number or their BSUID.
        var user: (phone: String, bsuid: String)?
        var toPhone: Bool
        /// The id of the conversation the message belongs to, on its `sent` and `delivered` statuses.
        var conversationID: String
    }

    /// Where the statuses go: the bot's webhook, and the secret they are signed with.
    public struct Delivery: Sendable {
        var endpoint: Endpoint
        var path: String
        var signer: WebhookSigner

        /// To the webhook at `path` of `route`: over HTTP on `connections` connections (trusting `trust`
        /// besides the system's roots over HTTPS), or in this process (the embedded bot's webhook) as the
        /// same signed requests.
        public init(
            to route: Route, path: String, appSecret: Secret, connections: Int = StatusCallbacks.defaultConnections,
            trust: TrustedCertificates = .system
        ) throws {
            endpoint = try Endpoint(route, maxConnections: connections, trust: trust)
            self.path = path
            signer = WebhookSigner(appSecret: appSecret)
        }
    }

    private let business: BusinessIdentity
    private let envelope: WebhookEnvelope.Frame
    private let templates: BusinessTemplates?
    private let recipients: UserDirectory?
    /// Per event loop (a lane): the sends whose statuses are not started yet, taken up by that loop's
    /// worker. One lock for the lanes: each is touched once per send and once per worker pass.
    private let lanes: Mutex<[[Job]]>
    private let laneCount: Int
    private let nextLane = Atomic<Int>(0)
    private let counts = Mutex(Counts())
    /// Sends whose statuses are not all delivered yet.
    private let pending = Atomic<Int>(0)

    /// The connections callbacks take to a target over HTTP.
    public static let defaultConnections = 16
    /// Sends waiting for a worker, per loop, beyond which their statuses are dropped (and counted).
    static let laneCapacity = 10_000
    /// How often a worker takes up what is due: statuses are late by at most this.
    static let pass = Duration.milliseconds(5)
    /// How long the target has to ack a status webhook.
    static let ackTimeout = Duration.seconds(5)
    /// When `delivered` and `read` follow `sent`, as Meta's do for a user who is online.
    static let deliveredAfter = Duration.milliseconds(50), readAfter = Duration.milliseconds(300)

    /// Statuses as `business` sends them; a template send is priced as its category in `templates`
    /// (utility when they do not say). With `recipients`, statuses name their users as Meta's have since
    /// the BSUID rollout (April 2026): `contacts[]` with `wa_id` and `user_id` beside `sent`, `delivered`
    /// and `read`, and `recipient_user_id`; without, in the older shape (a workload without BSUIDs).
    public init(business: BusinessIdentity, templates: BusinessTemplates? = nil, recipients: UserDirectory? = nil) {
        self.business = business
        envelope = WebhookEnvelope.Frame(business: business)
        self.recipients = recipients
        self.templates = templates
        laneCount = MultiThreadedEventLoopGroup.singleton.makeIterator().reduce(0) { n, _ in n + 1 }
        lanes = Mutex(Array(repeating: [], count: laneCount))
    }

    /// Schedules the statuses of one bot send (called from the stand-in; never blocks); with `failure`,
    /// the one `failed` status of a message Meta accepted and then failed.
    public func enqueue(_ send: GraphSend, failure: GraphError? = nil) {
        guard case .message(let reply) = send.kind, let wamid = reply.messageID,
              let recipient = send.toDigits ?? send.recipient else { return }
        let category = send.template.flatMap { templates?.template($0)?.category } ?? "utility"
        let pricing: MessagePricing = send.template == nil ? .service : .template(category: category)
        let job = Job(wamid: wamid, recipient: recipient, pricing: pricing, failure: failure, user: recipients?.identity(of: send),
                      toPhone: send.toDigits != nil, conversationID: Self.conversationID(business: business, recipient: recipient, pricing: pricing))
        let lane = nextLane.add(1, ordering: .relaxed).oldValue % laneCount
        let taken = lanes.withLock { lanes in
            guard lanes[lane].count < Self.laneCapacity else { return false }
            lanes[lane].append(job)
            return true
        }
        if taken { pending.add(1, ordering: .relaxed) } else { counts.withLock { $0.dropped += 1 } }
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

    /// Delivers statuses by `delivery` until the calling task is cancelled: a worker on each event loop,
    /// every `pass`, posts what is due. Statuses the delivery answers at once (the embedded bot's webhook
    /// in this process) are posted right there, with no task; over HTTP each post is a task of its own.
    public func run(to delivery: Delivery) async {
        await withDiscardingTaskGroup { group in
            for lane in 0..<laneCount {
                group.addTask { await self.work(lane, by: delivery) }
            }
        }
        delivery.endpoint.shutdown()
    }

    /// Lane `index`'s worker: `sent` (or `failed`) as soon as a send is taken up, `delivered` and `read`
    /// when due. Its sleeps are filed on that lane's loop, so it runs there, and so does its share of the
    /// bot's status work.
    private func work(_ index: Int, by delivery: Delivery) async {
        var delivered = CircularBuffer<(due: ContinuousClock.Instant, job: Job)>()
        var read = CircularBuffer<(due: ContinuousClock.Instant, job: Job)>()
        await withDiscardingTaskGroup { posts in
            while !Task.isCancelled {
                let now = ContinuousClock.now
                let fresh = lanes.withLock { lanes in
                    defer { lanes[index].removeAll(keepingCapacity: true) }
                    return lanes[index]
                }
                for job in fresh {
                    guard job.failure == nil else {
                        post(job, "failed", by: delivery, in: &posts, last: true)
                        continue
                    }
                    post(job, "sent", by: delivery, in: &posts)
                    delivered.append((now + Self.deliveredAfter, job))
                }
                while let first = delivered.first, first.due <= now {
                    delivered.removeFirst()
                    post(first.job, "delivered", by: delivery, in: &posts)
                    read.append((first.due + (Self.readAfter - Self.deliveredAfter), first.job))
                }
                while let first = read.first, first.due <= now {
                    read.removeFirst()
                    post(first.job, "read", by: delivery, in: &posts, last: true)
                }
                await LoopTimers.shared.sleep(until: now + Self.pass, shard: index) { _ in }
            }
        }
    }

    /// Posts one status: at once when the delivery answers at once, else in a task of `posts`. The `last`
    /// status of a send settles it for `drain`.
    private func post(_ job: Job, _ status: String, by delivery: Delivery, in posts: inout DiscardingTaskGroup, last: Bool = false) {
        let body = StatusEnvelope.render(Self.status(job, status, at: Int64(Date().timeIntervalSince1970)), frame: envelope)
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Hub-Signature-256": delivery.signer.signature(for: body),
                                    "User-Agent": "facebookexternalua"]
        if let result = delivery.endpoint.executeAtOnce(.POST, delivery.path, headers: headers, body: body) {
            return settle(result, last: last)
        }
        posts.addTask {
            let result = await delivery.endpoint.execute(.POST, delivery.path, headers: headers, body: body, timeout: Self.ackTimeout,
                                                         key: job.recipient.utf8.count)
            self.settle(result, last: last)
        }
    }

    private func settle(_ result: Result<ClientResponse, ClientFailure>, last: Bool) {
        let failure: String? = switch result {
        case .success(let r): r.status == 200 ? nil : "HTTP \(r.status)"
        case .failure(.timeout): "no answer within \(DurationText.format(Self.ackTimeout))"
        case .failure(.connect): "no connection"
        case .failure(.io): "the connection broke"
        }
        counts.withLock { c in
            guard let failure else { return c.sent += 1 }
            c.failed += 1
            if c.firstFailure == nil { c.firstFailure = failure }
        }
        if last { pending.subtract(1, ordering: .relaxed) }
    }

    /// A status as Meta sends it: `sent` and `delivered` with the conversation (its expiry on `sent`
    /// only) and the pricing, `read` without them — Meta puts both on `sent` and one of delivered/read
    /// (reference §2.4) — and `failed` with its error; the user in `contacts[]` (not on `failed`) and
    /// `recipient_user_id` (not on a `failed` send to a number), as integrators document the BSUID era.
    /// The conversation expires 24 hours after the message.
    private static func status(_ job: Job, _ status: String, at now: Int64) -> MessageStatus {
        var s = MessageStatus(wamid: job.wamid, status: status, recipient: job.recipient, timestamp: now)
        if let user = job.user {
            if job.failure == nil { s.contact = .init(waID: job.toPhone ? user.phone : nil, userID: user.bsuid) }
            if job.failure == nil || !job.toPhone { s.recipientUserID = user.bsuid }
        }
        if let failure = job.failure {
            s.errors = [failure]
        } else if status != "read" {
            s.conversation = .init(id: job.conversationID, expiresAt: status == "sent" ? now + 86_400 : nil, origin: job.pricing.category)
            s.pricing = job.pricing
        }
        return s
    }

    /// A conversation's id, once per send: it follows from the business, the user and its origin.
    private static func conversationID(business: BusinessIdentity, recipient: String, pricing: MessagePricing) -> String {
        let digest = SeededRandom.digest(Array("\(business.phoneNumberID)/\(recipient)/\(pricing.category)".utf8))
        return String(digest, radix: 16).leftPadded(to: 16) + String(digest &* 0x9E37_79B9_7F4A_7C15, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    /// Zeros in front up to `width` characters (a hex digest of fixed length).
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
