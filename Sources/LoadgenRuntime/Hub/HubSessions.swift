import LoadgenCore
import LoadgenHTTP

/// The hub's side of its shards' connections: who may join (the same run, each shard once), the one
/// start (`StartBarrier`), and when the run is over (every shard finished, or gone).
///
/// Each connection is served by `serve(_:)`: a `hello`, then pongs to pings (stamped at once, off the
/// actor, so a probe's round trip is the network's), the shard's outbox forwarded in order with a beat
/// every second, and `ready` / `finished` handed to the actor.
actor HubSessions {
    private let plan: HubPlan
    private let router: HubRouter
    private let log: Log
    /// Called once, with the start's hub time, when the start is named (the hub's faults begin then).
    private let onStart: @Sendable (Int64) -> Void
    private var barrier: StartBarrier
    /// Shards ready and waiting for the start.
    private var waiting: [Int] = []
    /// Whether the start was named (from then on a shard that leaves is lost, not replaced).
    private var started = false
    private var finished: Set<Int> = []
    private var lost: Set<Int> = []
    /// Fires when every shard finished or is gone (the hub's run is over).
    nonisolated let done = StopSignal()

    init(plan: HubPlan, router: HubRouter, log: @escaping Log, onStart: @escaping @Sendable (Int64) -> Void) {
        self.plan = plan
        self.router = router
        self.log = log
        self.onStart = onStart
        let rule: StartBarrier.Rule = switch plan.start {
        case .whenAllReady(let lead): .whenAllReady(lead: lead)
        case .at(let unix): .at(MonotonicTime.time(unixMilliseconds: unix))
        }
        barrier = StartBarrier(shards: plan.shards, rule: rule)
    }

    /// Serves one shard's connection until it closes.
    nonisolated func serve(_ socket: MessageSocket) async {
        let clock = router.clock
        try? await socket.session { messages, writer in
            var lines = messages.makeAsyncIterator()
            guard let first = try await lines.next(), case .hello(let shard, let fingerprint)? = HubMessage(decoding: first) else { return }
            if let why = await self.admit(shard, fingerprint) { return try await writer.send(HubMessage.refused(why).encoded) }
            try? await writer.send(HubMessage.welcome.encoded)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await Self.forward(self.router.inboxes[shard.index], to: writer) }
                do {
                    while let line = try await lines.next() {
                        switch HubMessage(decoding: line) {
                        case .ping(let id)?: try await writer.send(HubMessage.pong(id: id, hubTime: clock.now).encoded)
                        case .ready?: await self.ready(shard)
                        case .finished?: await self.finished(shard)
                        default: continue
                        }
                    }
                } catch {}
                self.router.outboxes[shard.index].yield(.detach)  // its forwarding ends after what is queued
            }
            await self.left(shard)
        }
    }

    /// The shard's outbox, in order, and a beat every second (its silence tells the shard it lost the hub).
    private static func forward(_ inbox: AsyncStream<HubRouter.Outgoing>, to writer: MessageSocket.Writer) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await outgoing in inbox {
                    guard case .message(let message) = outgoing else { return }
                    try? await writer.send(message.encoded)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    await LoopTimers.shared.sleep(for: .seconds(1))
                    try? await writer.send(HubMessage.beat.encoded)
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Whether `shard` may join, and if not why.
    private func admit(_ shard: Shard, _ fingerprint: RunFingerprint) -> String? {
        if let why = plan.fingerprint.mismatch(fingerprint) ?? barrier.join(shard, now: router.clock.now) {
            log("refused shard \(shard): \(why)")
            return why
        }
        log("shard \(shard) connected (\(barrier.connected) of \(plan.shards))")
        return nil
    }

    private func ready(_ shard: Shard) {
        let now = router.clock.now
        switch barrier.ready(shard.index, now: now) {
        case .wait:
            waiting.append(shard.index)
            log("shard \(shard) is ready; waiting for \(plan.shards - waiting.count) more")
        case .start(let at):
            waiting.append(shard.index)
            router.broadcast(.start(hubTime: at), to: waiting)
            let whom = waiting.count == plan.shards ? "all \(plan.shards) shards" : "shard \(shard)"
            log("starting \(whom) at \(MonotonicTime.iso(MonotonicTime.unixMilliseconds(at))) (in \(ConsoleSummary.fmt(Double(max(0, at - now)) / 1e9)) s)")
            waiting = []
            if !started { onStart(at) }
            started = true
        case .late(let at):
            let when = MonotonicTime.iso(MonotonicTime.unixMilliseconds(at))
            router.outboxes[shard.index].yield(.message(.refused("the run began at \(when) without shard \(shard)")))
        }
    }

    private func finished(_ shard: Shard) {
        finished.insert(shard.index)
        log("shard \(shard) finished (\(finished.count) of \(plan.shards))")
        checkDone()
    }

    private func left(_ shard: Shard) {
        if started { router.outboxes[shard.index].finish() }  // nothing more reaches it: nothing more is kept for it
        guard !finished.contains(shard.index) else { return }
        if started {
            lost.insert(shard.index)
            log("lost shard \(shard) before it finished: its report will say so")
        } else {
            barrier.left(shard.index, now: router.clock.now)
            waiting.removeAll { $0 == shard.index }
            log("shard \(shard) left before the start; its place is free")
        }
        checkDone()
    }

    /// Every shard finished or is gone (and, with `--start-at`, those that never came cannot any more).
    private func checkDone() {
        guard started else { return }
        let absent = plan.shards - barrier.connected
        if finished.count + lost.count + absent >= plan.shards { done.trigger() }
    }

    /// What became of each shard, for the hub's last words and exit status.
    var outcome: (finished: Int, lost: [Int], absent: Int) {
        (finished.count, lost.sorted(), plan.shards - barrier.connected)
    }
}
