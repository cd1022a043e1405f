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

    /// Runs `plan` until its duration ends or `stop` fires; `progress` is called at the end of every
    /// timeline interval from the run's own task tree.
    public func run(
        _ plan: RunPlan, users: [SimulatedUser], stop: StopSignal = StopSignal(),
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async -> RunResult {
        let recorder = ShardedRecorder(shards: min(max(1, plan.users), 4))
        let journeys = Dictionary(plan.scenario.personas.map { ($0.name, CompiledJourney($0)) }) { a, _ in a }
        let start = clock.now
        injector?.begin()
        let end = start.advanced(by: plan.duration)
        let active = ActiveUsers()
        let timeline = TimelineRecorder(interval: max(plan.timelineInterval, plan.duration / 3600))
        var partial = false
        let batcher = plan.delivery.batch > 1
            ? DeliveryBatcher(size: plan.delivery.batch, window: plan.delivery.batchWindow, clock: clock, business: plan.business,
                              signer: signer, transport: transport, onBatch: { n in recorder.record(user: n) { $0.batchesSent += 1 } })
            : nil
        await withTaskGroup(of: Background.self) { background in
            background.addTask { await sweepReplies(tick: .milliseconds(10)); return .done }
            if let batcher { background.addTask { await batcher.run(); return .done } }
            background.addTask {
                await sampleTimeline(plan, start: start, timeline: timeline, recorder: recorder, active: active, progress: progress)
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
        let elapsed = start.duration(to: clock.now)
        if elapsed.inSeconds > (timeline.timeline.points.last?.t ?? 0) + 0.001 {
            _ = timeline.sample(recorder.headline(), at: elapsed, activeUsers: 0, faultsOpen: faultsOpen(plan, at: elapsed))
        }
        return RunResult(metrics: recorder.snapshot(), elapsed: elapsed, partial: partial, timeline: timeline.timeline)
    }

    private func sweepReplies(tick: Duration) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: tick) } catch { return }
            correlator.expire(now: clock.now)
        }
    }

    /// Every timeline interval: one point from the headline totals, then a progress update. Ticks are
    /// scheduled from the start (not from the last wake-up), so the points do not drift.
    private func sampleTimeline(
        _ plan: RunPlan, start: C.Instant, timeline: TimelineRecorder, recorder: ShardedRecorder, active: ActiveUsers,
        progress: @Sendable (Progress) -> Void
    ) async {
        var tick = 1
        while !Task.isCancelled {
            do { try await clock.sleep(until: start.advanced(by: timeline.interval * tick), tolerance: nil) } catch { return }
            tick += 1
            let elapsed = start.duration(to: clock.now)
            let totals = recorder.headline()
            let point = timeline.sample(totals, at: elapsed, activeUsers: active.count, faultsOpen: faultsOpen(plan, at: elapsed))
            progress(Progress(elapsed: elapsed, duration: plan.duration, activeUsers: active.count, metrics: totals, latest: point,
                              interval: timeline.interval))
        }
    }

    /// The patterns whose fault is on at `elapsed`.
    private func faultsOpen(_ plan: RunPlan, at elapsed: Duration) -> [String] {
        Array(Set(plan.chaos.faults.filter { $0.schedule.phase(at: elapsed) == .fault }.map(\.pattern.rawValue))).sorted()
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
        let fraction = random.nextFraction()
        return range.lowerBound + span * fraction
    }
}

/// The timeline under construction, shared by the sampling task and the end of the run.
final class TimelineRecorder: Sendable {
    let interval: Duration
    private let sampler: Mutex<TimelineSampler>

    init(interval: Duration) {
        self.interval = interval
        sampler = Mutex(TimelineSampler(interval: interval))
    }

    func sample(_ totals: RunMetrics, at elapsed: Duration, activeUsers: Int, faultsOpen: [String]) -> Timeline.Point {
        sampler.withLock { $0.sample(totals, at: elapsed, activeUsers: activeUsers, faultsOpen: faultsOpen) }
    }

    var timeline: Timeline { sampler.withLock { $0.timeline } }
}

/// The number of users currently running, for progress lines.
final class ActiveUsers: Sendable {
    private let value = Synchronization.Atomic<Int>(0)
    func add(_ delta: Int) { value.add(delta, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
