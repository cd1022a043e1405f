import LoadgenCore
import LoadgenHTTP
import NIOHTTP1

/// What the hub's stand-in Graph API and fault proxies see, handed to the shard it is for: each shard has
/// an outbox, written in order (a fault hit before the reply it degraded) and sent over its connection
/// by `HubSessions`. A user's number, BSUID or inbound wamid names its shard (`ShardMap`); what belongs
/// to no user goes to shard 0, so it is counted once.
struct HubRouter: Sendable {
    let map: ShardMap
    let clock: MonotonicTime
    /// Shard i's messages, in the order they happened; `inboxes[i]` is read by its connection (one at a time).
    let outboxes: [AsyncStream<Outgoing>.Continuation]
    let inboxes: [AsyncStream<Outgoing>]

    /// What a shard's connection sends: a message, or nothing more — that connection is gone. (Its reader
    /// stops on this, not by cancellation, which would end the stream: a shard that left before the start
    /// may come back and read on.)
    enum Outgoing: Sendable {
        case message(HubMessage)
        case detach
    }

    init(map: ShardMap, clock: MonotonicTime) {
        self.map = map
        self.clock = clock
        let streams = (0..<map.shards).map { _ in AsyncStream.makeStream(of: Outgoing.self) }
        inboxes = streams.map(\.stream)
        outboxes = streams.map(\.continuation)
    }

    /// A send the stand-in accepted: the bot's bytes, the wamid it was answered with, when it arrived. A
    /// send to no user (a vendor's order notification) goes with the turn of its `X-Correlation-ID`.
    func accepted(_ send: GraphSend, _ request: ServerRequest) {
        let wamid: String? = if case .message(let reply) = send.kind { reply.messageID } else { nil }
        let shard = map.owner(of: send) ?? map.shard(ofTurn: request.headers.first(name: "X-Correlation-ID"))
        outboxes[shard].yield(.message(.send(body: String(decoding: request.body, as: UTF8.self), wamid: wamid,
                                                           hubTime: clock.time(of: request.receivedAt))))
    }

    /// A send the stand-in refused: no user to route it by, so shard 0 counts it.
    func refused() { outboxes[0].yield(.message(.refusal)) }

    /// A fault the hub's injector chose: to the shard whose turn it hit (the bot's `X-Correlation-ID`).
    func fault(_ pattern: FailurePattern, turn: String?, judgesTheTurn: Bool) {
        outboxes[map.shard(ofTurn: turn)].yield(.message(.fault(pattern, turn: turn, judgesTheTurn: judgesTheTurn)))
    }

    /// Says `message` to every shard (the start).
    func broadcast(_ message: HubMessage, to shards: some Sequence<Int>) {
        for i in shards { outboxes[i].yield(.message(message)) }
    }
}
