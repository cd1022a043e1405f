import LoadgenCore
import LoadgenHTTP
import ServiceLifecycle

/// A shard's connection to its hub (`loadgen run --hub URL`): one WebSocket the shard opens. Over it the
/// shard says who it is, measures how its clock stands to the hub's (`ClockSync`, a few round trips),
/// says when it is ready, learns the run's one start, and then receives what its users are owed — the
/// bot's sends (closing turns at the hub's arrival instant, converted to this shard's clock), refused
/// sends, fault hits — until it says it finished.
///
/// Losing the hub (the connection ends, or the hub is silent for `silenceLimit` although it beats every
/// second) is never silent: `lost` fires (the load stops starting turns), every turn still waiting ends
/// `hub_lost` rather than `no_reply`, the report's `hub` check fails and says when.
actor HubLink {
    /// Where what the hub hands over goes.
    struct Deliveries: Sendable {
        let correlator: ReplyCorrelator<ContinuousClock.Instant>
        let statuses: StatusCallbacks?
        let injector: FaultInjector?
    }

    /// The run's start on this shard's clock, and the hub's wall clock then (milliseconds since 1970).
    struct Start: Sendable {
        let instant: ContinuousClock.Instant
        let unixMilliseconds: Int64
    }

    private enum Phase {
        case connected, joined, ready
        case started(Start)
        case refused(String)
        case lost, finished
    }

    nonisolated let hub: ShardHub
    nonisolated let shard: Shard
    /// Fires once, when the hub is lost before this shard finished.
    nonisolated let lost = StopSignal()
    /// How long the hub may say nothing before it counts as lost (it beats every second).
    static let silenceLimit: Duration = .seconds(5)
    /// Round trips probed to estimate the clock offset.
    static let probes = 8

    private let socket: MessageSocket
    private let deliveries: Deliveries
    private let log: Log
    private let clock = MonotonicTime()
    private var sync = ClockSync()
    private var probeSent: [Int: Int64] = [:]
    private var phase = Phase.connected
    private var changed = StopSignal()
    private var writer: MessageSocket.Writer?
    private var lastHeard = ContinuousClock.now
    private var started: Start?
    private var lostAt: ContinuousClock.Instant?

    private init(hub: ShardHub, shard: Shard, socket: MessageSocket, deliveries: Deliveries, log: @escaping Log) {
        self.hub = hub
        self.shard = shard
        self.socket = socket
        self.deliveries = deliveries
        self.log = log
    }

    /// Opens the connection to `hub` (unreachable: exit 69); `run` then speaks over it.
    static func connect(_ hub: ShardHub, shard: Shard, deliveries: Deliveries, log: @escaping Log) async throws(LoadgenFailure) -> HubLink {
        do {
            let socket = try await MessageSocket.connect(to: hub.url)
            log("connected to the hub at \(hub.url) as shard \(shard)")
            return HubLink(hub: hub, shard: shard, socket: socket, deliveries: deliveries, log: log)
        } catch {
            throw LoadgenFailure(.unavailable, "cannot reach the hub: \(error)")
        }
    }

    /// Speaks with the hub until the connection ends or the calling task is cancelled (graceful shutdown).
    nonisolated func run() async {
        let clock = self.clock
        try? await socket.session { messages, writer in
            await self.attach(writer)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do { for try await line in messages { await self.receive(line, at: clock.now) } } catch {}
                }
                group.addTask { await self.watch() }
                await group.next()
                group.cancelAll()
            }
        }
        await ended(cancelled: Task.isCancelled)
    }

    /// Says `hello`, with the run this shard was started for.
    private func attach(_ writer: MessageSocket.Writer) async {
        self.writer = writer
        lastHeard = .now
        await say(.hello(shard, hub.fingerprint))
    }

    private func say(_ message: HubMessage) async { try? await writer?.send(message.encoded) }

    /// Returns when the hub has been silent for `silenceLimit` (or the task is cancelled).
    private func watch() async {
        while !Task.isCancelled {
            await LoopTimers.shared.sleep(until: lastHeard + Self.silenceLimit)
            if !Task.isCancelled, lastHeard.duration(to: .now) >= Self.silenceLimit {
                return log("the hub at \(hub.url) said nothing for \(DurationText.format(Self.silenceLimit)) (it beats every second)")
            }
        }
    }

    /// One message from the hub, received at `at` (this shard's protocol time: a probe's round trip ends there).
    private func receive(_ line: String, at: Int64) async {
        lastHeard = .now
        switch HubMessage(decoding: line) {
        case .send(let body, let wamid, let hubTime)?: deliver(body, wamid: wamid, at: hubTime)
        case .refusal?: deliveries.correlator.refused()
        case .fault(let pattern, let turn, let judges)?: deliveries.injector?.absorb(pattern, turn: turn, judgesTheTurn: judges)
        case .welcome?: await probe(0)
        case .pong(let id, let hubTime)?:
            guard let sent = probeSent.removeValue(forKey: id) else { return }
            sync.add(sent: sent, hub: hubTime, received: at)
            if sync.samples < Self.probes { await probe(id + 1) } else { become(.joined) }
        case .start(let hubTime)?:
            let start = Start(instant: clock.instant(sync.shardTime(ofHub: hubTime)), unixMilliseconds: MonotonicTime.unixMilliseconds(hubTime))
            started = start
            become(.started(start))
        case .refused(let why)?: become(.refused(why))
        default: return  // a beat, or what this loadgen does not know
        }
    }

    private func probe(_ id: Int) async {
        probeSent[id] = clock.now
        await say(.ping(id: id))
    }

    /// A bot send the hub accepted: closes its user's turn at the hub's arrival instant on this clock.
    private func deliver(_ body: String, wamid: String?, at hubTime: Int64) {
        guard let send = Self.parse(body, wamid: wamid) else { return }
        deliveries.correlator.deliver(send, at: clock.instant(sync.shardTime(ofHub: hubTime)))
        deliveries.statuses?.enqueue(send)
    }

    /// The bot's send as the stand-in accepted it: its body, and the wamid it was answered with.
    private static func parse(_ body: String, wamid: String?) -> GraphSend? {
        guard var send = try? GraphSend.parse(Array(body.utf8)) else { return nil }
        if let wamid, case .message(var reply) = send.kind {
            reply.messageID = wamid
            send.kind = .message(reply)
        }
        return send
    }

    private func become(_ next: Phase) {
        phase = next
        changed.trigger()
        changed = StopSignal()
    }

    /// The connection ended: unless this shard finished (or was refused, or is shutting down), the hub is lost.
    private func ended(cancelled: Bool) {
        switch phase {
        case .finished, .refused, .lost: return
        default: if cancelled { return }
        }
        lostAt = .now
        deliveries.correlator.cutOff()
        become(.lost)
        lost.trigger()
        log("lost the hub at \(hub.url): no new turns start; turns still waiting for a reply count as hub_lost, not no_reply")
    }

    /// Waits for the next change of phase (or the task's cancellation).
    private func changes() async throws(LoadgenFailure) {
        let signal = changed
        await signal.wait()
        if Task.isCancelled { throw LoadgenFailure(.interrupted, "stopped while waiting for the hub") }
    }
}

extension HubLink {
    /// Returns once the hub took this shard and the clock offset is measured; the hub's refusal (another
    /// run, a shard already there) is exit 64, losing it exit 69.
    func joined() async throws(LoadgenFailure) {
        while true {
            switch phase {
            case .connected: try await changes()
            case .refused(let why): throw LoadgenFailure(.usage, "the hub at \(hub.url) refused shard \(shard): \(why)")
            case .lost: throw LoadgenFailure(.unavailable, "lost the hub at \(hub.url) before the run began")
            default: return
            }
        }
    }

    /// Says this shard is ready (its preflight passed) and returns the run's start, on this shard's clock.
    func ready() async throws(LoadgenFailure) -> Start {
        try await joined()
        become(.ready)
        await say(.ready)
        log("ready; waiting for the hub to start the run")
        while true {
            switch phase {
            case .started(let start):
                let wait = max(.zero, ContinuousClock.now.duration(to: start.instant))
                log("the hub starts the run at \(MonotonicTime.iso(start.unixMilliseconds)) (in \(ConsoleSummary.fmt(wait.inSeconds)) s)")
                return start
            case .refused(let why): throw LoadgenFailure(.unavailable, "the hub at \(hub.url) did not start shard \(shard): \(why)")
            case .lost: throw LoadgenFailure(.unavailable, "lost the hub at \(hub.url) before the run began")
            default: try await changes()
            }
        }
    }

    /// Tells the hub this shard's run is over (after its last statuses): nothing more is owed to it.
    func finish() async {
        guard case .started = phase else { return }
        become(.finished)
        await say(.finished)
    }
}

extension HubLink {
    /// report.json's `run.hub`: the hub, the start, the clock offset and its bound, when the hub was lost.
    func info() -> Report.RunInfo.Hub? {
        guard let started else { return nil }
        let best = sync.best
        return Report.RunInfo.Hub(
            url: hub.url.description, start: MonotonicTime.iso(started.unixMilliseconds), startUnixMilliseconds: started.unixMilliseconds,
            clockOffsetMilliseconds: best.map { Double($0.offset) / 1e6 }, clockUncertaintyMilliseconds: best.map { Double($0.uncertainty) / 1e6 } ?? 0,
            clockProbes: sync.samples, lostAtSeconds: lostAt.map { started.instant.duration(to: $0).inSeconds })
    }

    /// The `hub` check: passes when the hub was there from the start to this shard's end; fails, with when
    /// and how many turns could not be judged, when it was lost.
    func check(unjudged: UInt64) -> Report.ScriptedCheck {
        guard let info = info() else { return .init(name: "hub", status: .fail, detail: "the run never started") }
        let clock = "clock offset \(ConsoleSummary.fmt(info.clockOffsetMilliseconds ?? 0)) ms ± "
            + "\(ConsoleSummary.fmt(info.clockUncertaintyMilliseconds)) ms over \(info.clockProbes) round trips"
        guard let at = info.lostAtSeconds else {
            return .init(name: "hub", status: .pass, detail: "\(hub.url) started shard \(shard) with the others at \(info.start) and stayed; \(clock)")
        }
        return .init(name: "hub", status: .fail, detail: "lost the hub \(hub.url) \(ConsoleSummary.fmt(at)) s into the run: \(unjudged) turns "
            + "could not be judged (hub_lost) and no turn started after; \(clock)")
    }
}

/// The shard's connection to its hub, from before the preflight until graceful shutdown.
struct HubLinkService: Service, CustomStringConvertible {
    let link: HubLink
    var description: String { "hub link to \(link.hub.url)" }

    func run() async throws {
        await cancelWhenGracefulShutdown { await link.run() }
        // A lost hub is the run's to report (`lost`), not a reason to stop the other services under it.
        try? await gracefulShutdown()
    }
}
