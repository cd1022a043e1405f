/// What every user of one run shares: the engine, the workload, the recorders, the clock's start and
/// end, the stop signal. A value handed to each user, instead of a dozen parameters.
final class EngineRun<C: EngineClock>: Sendable {
    let engine: Engine<C>
    let workload: Workload
    let recorder: ShardedRecorder
    let journeys: [String: CompiledJourney]
    /// Meta batching (`--batch`): messages of several users share a POST.
    let batcher: DeliveryBatcher<C>?
    let start: C.Instant
    let end: C.Instant
    let stop: StopSignal

    init(engine: Engine<C>, workload: Workload, start: C.Instant, stop: StopSignal) {
        self.engine = engine
        self.workload = workload
        self.start = start
        self.stop = stop
        end = start.advanced(by: workload.duration)
        let recorder = ShardedRecorder(shards: min(max(1, workload.users.count), 4))
        self.recorder = recorder
        journeys = Dictionary(workload.scenario.personas.map { ($0.name, CompiledJourney($0)) }) { a, _ in a }
        let delivery = workload.delivery
        batcher = delivery.batch > 1
            ? DeliveryBatcher(size: delivery.batch, window: delivery.batchWindow, clock: engine.clock, business: workload.business,
                              signer: engine.signer, transport: engine.transport,
                              onBatch: { n in recorder.record(user: n) { $0.batchesSent += 1 } })
            : nil
    }

    var clock: C { _read { yield engine.clock } }

    /// Users start no new turn once the run is stopped or cancelled.
    var stopping: Bool { Task.isCancelled || stop.isTriggered }

    /// Time since the start.
    var elapsed: Duration { start.duration(to: clock.now) }

    /// The journey of user `index`'s persona.
    func journey(forUser index: Int) -> CompiledJourney {
        journeys[workload.scenario.persona(forUser: index).name]!  // every persona was compiled
    }

    /// Sleeps for `duration`, but not past the end, and not at all once stopping, waking on the clock's
    /// thread for `user` (its index is its connections' shard); records how late the user woke
    /// (`recordWake`).
    func pause(_ duration: Duration, user: Int) async {
        guard duration > .zero, !stopping else { return }
        let due = clock.now.advanced(by: duration)
        await stop.sleep(until: min(due, end), on: clock, home: user)
        recordWake(due: due, user: user)
    }

    /// Records how late `user` woke from a pause that ended at `due` (`RunMetrics.wakeLag`). A pause cut
    /// short by the end of the run or the stop is not measured: every user still thinking wakes at that
    /// one instant, and the last of thousands to be scheduled would count as late for a wake-up that
    /// starts nothing.
    func recordWake(due: C.Instant, user: Int) {
        guard due < end, !stopping else { return }
        let lag = max(.zero, due.duration(to: clock.now))
        recorder.record(user: user) { $0.recordWake(lag) }
    }

    /// A duration drawn uniformly from `range`.
    static func draw(_ range: ClosedRange<Duration>, using random: inout SeededRandom) -> Duration {
        let span = range.upperBound - range.lowerBound
        guard span > .zero else { return range.lowerBound }
        return range.lowerBound + span * random.nextFraction()
    }

    /// A chaos run's phase and recovery candidates `elapsed` into it (nil without chaos).
    func chaosMoment(at elapsed: Duration) -> ChaosMoment? {
        guard let chaos = engine.injector?.chaos, !chaos.isEmpty else { return nil }
        return ChaosMoment(chaos, at: elapsed)
    }
}

extension EngineRun {
    /// The timeline so far, and the tripwire that fired, if one did.
    struct Sampled: Sendable {
        var sampler: TimelineSampler
        var tripped: Trip?
    }

    /// Every timeline interval: one point from the headline totals, the tripwires judged on them (the
    /// first that fires stops the run), then a progress snapshot. Ticks are scheduled from the start (not
    /// from the last wake-up), so points do not drift. Returns when cancelled.
    func sampleTimeline(progress: AsyncStream<Progress>.Continuation?) async -> Sampled {
        var sampled = Sampled(sampler: TimelineSampler(interval: workload.timelineInterval))
        var tripwire = workload.tripwire
        var tick = 1
        while true {
            do { try await clock.sleep(until: start.advanced(by: workload.timelineInterval * tick), tolerance: nil) } catch { return sampled }
            tick += 1
            let elapsed = self.elapsed
            let totals = recorder.headline()
            let active = recorder.activeUsers
            let point = sampled.sampler.sample(totals, at: elapsed, activeUsers: active, faultsOpen: faultsOpen(at: elapsed))
            if sampled.tripped == nil, let trip = tripwire?.observe(totals, at: elapsed) {
                sampled.tripped = trip
                stop.trigger()
            }
            progress?.yield(Progress(elapsed: elapsed, duration: workload.duration, activeUsers: active, metrics: totals, latest: point,
                                     interval: workload.timelineInterval, tripped: sampled.tripped))
        }
    }

    /// The last, shorter interval, up to the last in-flight reply.
    func closeTimeline(_ sampler: inout TimelineSampler, at elapsed: Duration) {
        guard elapsed.inSeconds > (sampler.timeline.points.last?.t ?? 0) + 0.001 else { return }
        sampler.sample(recorder.headline(), at: elapsed, activeUsers: 0, faultsOpen: faultsOpen(at: elapsed))
    }

    /// The patterns whose fault is on at `elapsed`.
    func faultsOpen(at elapsed: Duration) -> [String] {
        Array(Set(workload.chaos.faults.filter { $0.schedule.phase(at: elapsed) == .fault }.map(\.pattern.rawValue))).sorted()
    }
}
