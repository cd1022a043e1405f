import Wire
import Foundation
import LoadgenHTTP
import NIOCore
import NIOHTTP1
import NIOPosix

/// The embedded EasyMO-shaped WhatsApp bot: loadgen's default target and the living demo of what a
/// well-behaved bot does.
///
/// `GET /webhook` answers Meta's verification handshake; `POST /webhook` checks the signature (401),
/// the size (413) and the JSON (400), drops duplicate message ids, rate-limits each user (429 +
/// Retry-After), acks with 200 and only then works out the reply and sends it to the Graph API, as a
/// real bot does. `GET /health` reports in the EasyMO worker's JSON shape.
public final class ReferenceBot: Sendable {
    public let config: BotConfiguration
    let conversation: Conversation
    let intake: Intake
    /// Checks every delivery's `X-Hub-Signature-256` (keyed once: deliveries arrive by the thousand).
    let signer: WebhookSigner
    let started = ContinuousClock.now
    private let outboxes: [Outbox]
    private let sender: GraphSender

    /// The most connections the bot opens to the Graph API, and to each upstream service (with the LLM on
    /// a base URL of its own, that is two services): what a process hosting the bot must leave room for.
    public static let maxGraphConnections = 64
    public static let connectionsPerUpstream = 64

    /// A bot with `config`; its Graph client connects lazily.
    public init(config: BotConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.config = config
        signer = WebhookSigner(appSecret: config.appSecret)
        var conversation = Conversation(memory: ConversationMemory(sessionTTL: config.sessionTTL))
        conversation.defect = config.defect
        if let upstreams = config.upstreams {
            conversation.upstreams = try UpstreamClient(upstreams, llm: config.llmBaseURL, llmDeadline: config.llmDeadline,
                                                        deadline: config.upstreamDeadline)
        }
        intake = Intake(dedupTTL: config.dedupTTL, rateLimitPerMinute: config.rateLimitPerMinute)
        let graph: Route = config.graphInProcess.map { .inProcess($0) } ?? .http(config.graphBaseURL)
        let endpoint = try Endpoint(graph, maxConnections: min(Self.maxGraphConnections, max(2, config.senderWorkers)), group: group)
        let sender = GraphSender(config: config, endpoint: endpoint)
        self.sender = sender
        if config.upstreams != nil {
            conversation.notifyVendor = { phone, text, correlation in
                if case .sent = await sender.notify(phone: phone, text: text, correlation: correlation) { return true }
                return false
            }
        }
        outboxes = (0..<max(1, config.senderWorkers)).map { _ in Outbox() }
        self.conversation = conversation
    }

    /// Binds the webhook server (port 0 picks a free port).
    public func bind(host: String = "127.0.0.1", port: Int = 0) async throws -> HTTPServer {
        try await HTTPServer.bind(host: host, port: port, maxBodyBytes: config.maxBodyBytes)
    }

    /// Serves `server` and sends replies until the calling task is cancelled.
    public func run(on server: HTTPServer) async {
        await withDiscardingTaskGroup { group in
            for (index, outbox) in outboxes.enumerated() {
                group.addTask { await self.work(outbox, index: index) }
            }
            group.addTask { await server.run(self.webhook) }
            group.addTask {
                // Close the outboxes when the run is cancelled, so the workers drain and return.
                await withTaskCancellationHandler {
                    await untilCancelled()
                } onCancel: {
                    for outbox in self.outboxes { outbox.finish() }
                }
            }
        }
        sender.endpoint.shutdown()
        conversation.upstreams?.services.endpoint.shutdown()
        conversation.upstreams?.llm.endpoint.shutdown()
    }

    /// The bot's HTTP face (`/webhook`, `/health`), for a caller in this process that hands it requests
    /// without a socket (the status webhooks of the stand-in Graph API beside the embedded bot).
    public var webhook: any HTTPResponder { WebhookResponder(bot: self) }

    /// Queues a message's processing on its user's worker (same user, same worker: replies keep order).
    func enqueue(_ message: UserMessage) {
        let key = message.userKey.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }
        if !outboxes[abs(key) % outboxes.count].push(message) { intake.count(\.outboxOverflow) }
    }

    private func work(_ outbox: Outbox, index: Int) async {
        for await (message, queuedAt) in outbox.stream {
            if Task.isCancelled { return }  // stopping: what is still queued is dropped, not answered late
            intake.started(after: queuedAt.duration(to: .now))
            let replies = await conversation.respond(to: message)
            for reply in replies {
                switch await sender.send(reply, to: message, key: index) {
                case .sent: intake.count(\.replied)
                case .failed: intake.count(\.sendFailures)
                }
            }
        }
    }
}

/// A worker's queue of messages to answer, bounded so a flood cannot grow memory without limit.
final class Outbox: Sendable {
    /// Each message with when it was queued.
    let stream: AsyncStream<(UserMessage, ContinuousClock.Instant)>
    private let continuation: AsyncStream<(UserMessage, ContinuousClock.Instant)>.Continuation

    init(capacity: Int = 10_000) {
        (stream, continuation) = AsyncStream.makeStream(of: (UserMessage, ContinuousClock.Instant).self,
                                                        bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues a message; false when the queue is full (the message is dropped and counted).
    func push(_ message: UserMessage) -> Bool {
        if case .enqueued = continuation.yield((message, .now)) { return true }
        return false
    }

    func finish() { continuation.finish() }
}

extension ReferenceBot {
    /// What the bot counted so far (deliveries, duplicates, rate-limited, replies sent…).
    public var counts: BotCounts { intake.counts }
}
