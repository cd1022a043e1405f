import Foundation
import LoadgenCore
import Synchronization

/// A bot that lives in virtual time, for whole-scenario tests on `VirtualClock`: it takes `service` to
/// handle each message — one at a time when `serial`, so messages queue as at a saturated bot — acks it
/// when done, and replies `replyDelay` later through the correlator. During `stall` (a GC pause, a lock)
/// it handles nothing: what arrives then waits for the stall to end. What arrives during `failing` is
/// handled as long, then answered 500 with no reply (a bot whose database went away). An upstream fault the run's
/// injector puts on its LLM call (`.llm`, traced by the message id) makes it answer from its ranking.
///
/// Shared on purpose: one per test, owned by it; the engine's users deliver to it concurrently, and its
/// reply loop (`run`) sends the replies. The lock guards the queue position and the log of what it saw.
public final class VirtualBot: WebhookTransport {
    public struct Seen: Sendable, Equatable {
        /// When the message arrived and when its handling began (later, when it queued).
        public var received: Duration
        public var started: Duration
        /// The user who sent it (its index in the workload).
        public var user: Int
    }

    private struct Reply: Sendable {
        var to: String
        var text: String
        var at: VirtualClock.Instant
    }

    private let clock: VirtualClock
    private let correlator: ReplyCorrelator<VirtualClock.Instant>
    private let users: [SimulatedUser]
    private let service: Duration
    private let replyDelay: Duration
    private let serial: Bool
    private let stall: Range<Duration>?
    private let failing: Range<Duration>?
    private let injector: FaultInjector?
    private let state = Mutex<(busyUntil: VirtualClock.Instant, seen: [Seen])>((VirtualClock.Instant(offset: .zero), []))
    private let replies: AsyncStream<Reply>
    private let sink: AsyncStream<Reply>.Continuation

    public init(clock: VirtualClock, correlator: ReplyCorrelator<VirtualClock.Instant>, users: [SimulatedUser], service: Duration,
                replyDelay: Duration, serial: Bool = false, stall: Range<Duration>? = nil, failing: Range<Duration>? = nil,
                injector: FaultInjector? = nil) {
        self.failing = failing
        self.clock = clock
        self.correlator = correlator
        self.users = users
        self.service = service
        self.replyDelay = replyDelay
        self.serial = serial
        self.stall = stall
        self.injector = injector
        (replies, sink) = AsyncStream.makeStream(of: Reply.self)
    }

    /// Every message it handled, in arrival order.
    public var seen: [Seen] { state.withLock { $0.seen } }

    public func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult {
        let received = clock.now
        let start = state.withLock { s in
            var start = serial ? max(received, s.busyUntil) : received
            if let stall, stall.contains(start.offset) { start = VirtualClock.Instant(offset: stall.upperBound) }
            s.busyUntil = start.advanced(by: service)
            s.seen.append(Seen(received: received.offset, started: start.offset, user: user))
            return start
        }
        let done = start.advanced(by: service)
        let wamid = Self.messageID(body)
        let hit = injector?.fault(at: .llm, correlationID: wamid) != nil
        try? await clock.sleep(until: done)
        if let failing, failing.contains(received.offset) { return .status(500) }
        sink.yield(Reply(to: users[user].phone, text: hit ? "Showing top-rated vendors near you" : "Here are vendors near you",
                         at: done.advanced(by: replyDelay)))
        return .status(200)
    }

    /// Sends each reply at its time, until the calling task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await withTaskCancellationHandler { await StopSignal().wait() } onCancel: { self.sink.finish() } }
            for await reply in replies {
                group.addTask {
                    try? await self.clock.sleep(until: reply.at)
                    self.correlator.deliver(GraphSend(kind: .message(BotReply(type: "text", text: reply.text)), to: reply.to,
                                                      recipient: nil, contextMessageID: nil), at: self.clock.now)
                }
            }
        }
    }

    /// `entry[0].changes[0].value.messages[0].id` of a delivery.
    static func messageID(_ body: [UInt8]) -> String? {
        let root = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        let value = ((root?["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first?["value"] as? [String: Any]
        return (value?["messages"] as? [[String: Any]])?.first?["id"] as? String
    }
}
