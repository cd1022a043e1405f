import Synchronization

/// Runs a plan: one structured task tree per run, with each simulated user a child task.
///
/// Users are logical: they share the transport's pooled connections and record into per-shard
/// recorders. When the duration ends (or `stop` fires) users start no new turn, finish the one in
/// flight — waiting for its reply up to the reply timeout — and return. Nothing outlives `run`.
public struct Engine<C: Clock<Duration>>: Sendable {
    let clock: C
    let transport: any WebhookTransport
    let signer: WebhookSigner
    let correlator: ReplyCorrelator<C.Instant>
    let unixTime: @Sendable () -> Int64
    /// Chaos: decides faults and remembers which turns they hit (nil = no chaos).
    let injector: FaultInjector?

    /// An engine that posts through `transport`, signs with `signer`, and learns of replies through
    /// `correlator` (which the stand-in Graph API feeds with the same clock).
    public init(
        clock: C, transport: any WebhookTransport, signer: WebhookSigner, correlator: ReplyCorrelator<C.Instant>,
        unixTime: @escaping @Sendable () -> Int64, injector: FaultInjector? = nil
    ) {
        self.injector = injector
        self.clock = clock
        self.transport = transport
        self.signer = signer
        self.correlator = correlator
        self.unixTime = unixTime
    }

    private enum Child: Sendable { case userFinished, stopRequested }
    private enum Background: Sendable { case done }

    /// Runs `plan` until its duration ends or `stop` fires; `progress` is called every
    /// `plan.progressInterval` from the run's own task tree.
    public func run(
        _ plan: RunPlan, users: [SimulatedUser], stop: StopSignal = StopSignal(),
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async -> (metrics: RunMetrics, elapsed: Duration, partial: Bool) {
        let recorder = ShardedRecorder(shards: min(max(1, plan.users), 4))
        let journeys = Dictionary(plan.scenario.personas.map { ($0.name, CompiledJourney($0)) }) { a, _ in a }
        let start = clock.now
        injector?.begin()
        let end = start.advanced(by: plan.duration)
        let active = ActiveUsers()
        var partial = false
        let batcher = plan.delivery.batch > 1
            ? DeliveryBatcher(size: plan.delivery.batch, window: plan.delivery.batchWindow, clock: clock, business: plan.business,
                              signer: signer, transport: transport, onBatch: { n in recorder.record(user: n) { $0.batchesSent += 1 } })
            : nil
        await withTaskGroup(of: Background.self) { background in
            background.addTask { await sweepReplies(tick: .milliseconds(10)); return .done }
            if let batcher { background.addTask { await batcher.run(); return .done } }
            background.addTask {
                await reportProgress(plan, start: start, recorder: recorder, active: active, progress: progress)
                return .done
            }
            partial = await withTaskGroup(of: Child.self) { group in
                group.addTask { await stop.wait(); return .stopRequested }
                if let schedule = plan.arrivals {
                    group.addTask {
                        await launchArrivals(schedule, plan: plan, users: users, journeys: journeys, start: start, end: end,
                                             recorder: recorder, active: active, batcher: batcher)
                        return .userFinished
                    }
                } else {
                    for user in users {
                        group.addTask {
                            active.add(1)
                            defer { active.add(-1) }
                            let persona = plan.scenario.persona(forUser: user.index)
                            await runUser(user, journey: journeys[persona.name]!, plan: plan, end: end, recorder: recorder,
                                          batcher: batcher)
                            return .userFinished
                        }
                    }
                }
                var remaining = plan.arrivals == nil ? users.count : 1
                var stopped = false
                while remaining > 0, let child = await group.next() {
                    switch child {
                    case .userFinished: remaining -= 1
                    case .stopRequested:
                        stopped = stop.isTriggered
                        group.cancelAll()  // users stop starting turns; in-flight ones finish
                    }
                }
                group.cancelAll()
                return stopped
            }
            background.cancelAll()
        }
        return (recorder.snapshot(), start.duration(to: clock.now), partial)
    }

    private func sweepReplies(tick: Duration) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: tick) } catch { return }
            correlator.expire(now: clock.now)
        }
    }

    private func reportProgress(
        _ plan: RunPlan, start: C.Instant, recorder: ShardedRecorder, active: ActiveUsers,
        progress: @Sendable (Progress) -> Void
    ) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: plan.progressInterval) } catch { return }
            progress(Progress(elapsed: start.duration(to: clock.now), duration: plan.duration,
                              activeUsers: active.count, metrics: recorder.snapshot()))
        }
    }

    /// Sleeps for `duration`, but not past `end`, and not at all once cancelled.
    func pause(_ duration: Duration, until end: C.Instant) async {
        guard duration > .zero, !Task.isCancelled else { return }
        let wake = min(clock.now.advanced(by: duration), end)
        try? await clock.sleep(until: wake, tolerance: nil)
    }

    /// A duration drawn uniformly from `range`.
    static func draw(_ range: ClosedRange<Duration>, using random: inout SeededRandom) -> Duration {
        let span = range.upperBound - range.lowerBound
        guard span > .zero else { return range.lowerBound }
        let fraction = Double(random.next() >> 11) / Double(1 << 53)
        return range.lowerBound + span * fraction
    }
}

/// The number of users currently running, for progress lines.
final class ActiveUsers: Sendable {
    private let value = Synchronization.Atomic<Int>(0)
    func add(_ delta: Int) { value.add(delta, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
