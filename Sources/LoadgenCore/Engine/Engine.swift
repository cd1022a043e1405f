/// Runs a workload: one structured task tree per run (the closed model's users are entries in its lanes,
/// walked by worker tasks; the open model's conversations are child tasks).
///
/// Users are logical: they share the transport's pooled connections and record into per-shard
/// recorders. When the duration ends (or `stop` fires) users start no new turn, finish the one in
/// flight — waiting for its reply up to the reply timeout — and return. Nothing outlives `run`.
/// Every wait is on the injected clock, so a test clock runs a whole scenario without sleeping.
public struct Engine<C: EngineClock>: Sendable {
    let clock: C
    let transport: any WebhookTransport
    let signer: WebhookSigner
    let correlator: ReplyCorrelator<C.Instant>
    let unixTime: @Sendable () -> Int64
    /// Chaos: decides faults and remembers which turns they hit (nil = no chaos).
    let injector: FaultInjector?

    /// An engine that posts through `transport`, signs with `signer`, and learns of replies through
    /// `correlator` (which the stand-in Graph API feeds with instants of the same clock).
    public init(
        clock: C, transport: any WebhookTransport, signer: WebhookSigner, correlator: ReplyCorrelator<C.Instant>,
        unixTime: @escaping @Sendable () -> Int64, injector: FaultInjector? = nil
    ) {
        self.clock = clock
        self.transport = transport
        self.signer = signer
        self.correlator = correlator
        self.unixTime = unixTime
        self.injector = injector
    }

    /// Runs `workload` until its duration ends, `stop` fires or one of its rollback tripwires does. At the
    /// end of every timeline interval a snapshot goes to `progress`, which is finished when the run ends.
    public func run(
        _ workload: Workload, stop: StopSignal = StopSignal(), progress: AsyncStream<Progress>.Continuation? = nil
    ) async -> RunResult {
        await execute(workload, stop: stop, progress: progress)
    }

    func execute(_ workload: Workload, stop: StopSignal, progress: AsyncStream<Progress>.Continuation?) async -> RunResult {
        let start = clock.now
        injector?.begin(at: start, on: clock)
        let halt = StopSignal()  // the user's stop, or a rollback tripwire
        let run = EngineRun(engine: self, workload: workload, start: start, stop: halt)
        var sampler = TimelineSampler(interval: workload.timelineInterval)
        var tripped: Trip?
        await withTaskGroup(of: EngineRun<C>.Sampled?.self) { background in
            background.addTask { await stop.wait(); halt.trigger(); return nil }
            if let batcher = run.batcher { background.addTask { await batcher.run(); return nil } }
            background.addTask { await run.sampleTimeline(progress: progress) }
            switch workload.model {
            case .closed(let journeys): await ClosedModel(run: run, journeysPerUser: journeys).run()
            case .open(let schedule, _): await OpenModel(run: run, schedule: schedule).run()  // the users are the in-flight cap
            }
            background.cancelAll()
            for await finished in background { if let finished { (sampler, tripped) = (finished.sampler, finished.tripped) } }
        }
        let elapsed = start.duration(to: clock.now)
        run.closeTimeline(&sampler, at: elapsed)
        progress?.finish()
        return RunResult(metrics: run.recorder.snapshot(), elapsed: elapsed, partial: stop.isTriggered, timeline: sampler.timeline,
                         tripped: tripped)
    }
}
