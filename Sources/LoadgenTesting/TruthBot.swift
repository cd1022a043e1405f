import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOCore
import NIOHTTP1

/// A bot whose timing is known: it holds each ack for a planned delay, replies after another, and
/// fails every `failEvery`-th delivery with 503. It records the delays it actually applied — the truth
/// that loadgen's measurements are checked against — from when the request's last byte arrived (the
/// server stamps it on its event loop), so that the hop to this actor is inside the truth, not outside
/// it with loadgen's share. An actor: every connection's handler records into it.
public actor TruthBot: HTTPResponder {
    public struct Truth: Sendable {
        /// Arrival → response handed to the server to write, per acked delivery.
        public var ackDelays: [Duration] = []
        /// Arrival → reply send started, per reply.
        public var replyDelays: [Duration] = []
        public var deliveries = 0
        public var failures = 0
    }

    private struct Job: Sendable {
        var to: String
        var receivedAt: ContinuousClock.Instant
        var delay: Duration
    }

    private let ackDelay: @Sendable (Int) -> Duration
    private let replyDelay: @Sendable (Int) -> Duration
    private let failEvery: Int
    private let graph: HTTPClient
    private let graphPath: String
    private var truth = Truth()
    private let jobs: AsyncStream<Job>
    private let jobSink: AsyncStream<Job>.Continuation

    /// A bot replying to `graphBase` (`http://host:port/v20.0`) for `phoneNumberID`.
    public init(
        graphBase: TargetURL, phoneNumberID: String, failEvery: Int,
        ackDelay: @escaping @Sendable (Int) -> Duration, replyDelay: @escaping @Sendable (Int) -> Duration
    ) throws {
        self.ackDelay = ackDelay
        self.replyDelay = replyDelay
        self.failEvery = failEvery
        graph = try HTTPClient(origin: graphBase.origin, maxConnections: 64)
        graphPath = graphBase.pathAndQuery + "/" + phoneNumberID + "/messages"
        (jobs, jobSink) = AsyncStream.makeStream(of: Job.self)
    }

    /// What the bot did so far.
    public var recorded: Truth { truth }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        let receivedAt = request.receivedAt
        truth.deliveries += 1
        let n = truth.deliveries
        if failEvery > 0, n % failEvery == 0 {
            truth.failures += 1
            return .text(.serviceUnavailable, "busy")
        }
        guard let root = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let value = ((root["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first?["value"] as? [String: Any],
              let from = (value["messages"] as? [[String: Any]])?.first?["from"] as? String
        else { return .text(.badRequest, "bad_json") }
        try? await Task.sleep(until: receivedAt + ackDelay(n))
        jobSink.yield(Job(to: from, receivedAt: receivedAt, delay: replyDelay(n)))
        truth.ackDelays.append(receivedAt.duration(to: .now))
        return .text(.ok, "ok")
    }

    /// Sends the replies, each at its planned time, until cancelled.
    public nonisolated func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withTaskCancellationHandler { await StopSignal().wait() } onCancel: { self.jobSink.finish() }
            }
            for await job in jobs {
                group.addTask {
                    try? await Task.sleep(until: job.receivedAt + job.delay)
                    await self.recordReply(after: job.receivedAt.duration(to: .now))
                    let body = Array(#"{"messaging_product":"whatsapp","to":"\#(job.to)","type":"text","text":{"body":"ok"}}"#.utf8)
                    _ = await self.graph.execute(method: .POST, path: self.graphPath,
                                                 headers: ["Content-Type": "application/json", "Authorization": "Bearer t"],
                                                 body: body, timeout: .seconds(10), key: job.to.hashValue)
                }
            }
        }
    }

    private func recordReply(after delay: Duration) { truth.replyDelays.append(delay) }

    /// The exact nearest-rank percentile of `values`, in milliseconds.
    public nonisolated static func percentile(_ p: Double, of values: [Duration]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = max(1, Int((Double(sorted.count) * p / 100).rounded(.up)))
        let d = sorted[rank - 1].components
        return Double(d.seconds) * 1000 + Double(d.attoseconds) / 1e15
    }
}
