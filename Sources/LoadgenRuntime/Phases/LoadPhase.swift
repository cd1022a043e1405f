import Foundation
import LoadgenCore
import LoadgenHTTP

/// The measured load: the engine on the rig's wiring, with its snapshots fed to the outputs as it goes.
enum LoadPhase {
    /// Runs the load, from `start` if given (a shard starts when its hub starts them all); a shard that
    /// loses its hub stops starting turns then, as on Ctrl-C, but its report is not partial: the `hub`
    /// check says what happened.
    static func run(_ rig: Rig, workload: Workload, stop: StopSignal, outputs: [any RunOutput], startingAt start: ContinuousClock.Instant? = nil)
        async -> RunResult
    {
        let client = WebhookClient(client: rig.client, target: rig.target, ackTimeout: rig.plan.ackTimeout,
                                   extraHeaders: rig.plan.deliveryHeaders, secrets: [rig.appSecret] + (rig.verifyToken.map { [$0] } ?? []))
        let clock = rig.clock
        let engine = Engine(
            clock: clock,
            // With Meta's limits on, every user message opens its sender's window and counts toward throughput.
            transport: rig.graphLimits.map { LimitAwareTransport(base: client, gate: $0, now: { clock.now }) } ?? client,
            signer: WebhookSigner(appSecret: rig.appSecret), correlator: rig.correlator,
            unixTime: { Int64(Date().timeIntervalSince1970) }, injector: rig.injector)
        let (snapshots, sink) = AsyncStream.makeStream(of: LoadgenCore.Progress.self, bufferingPolicy: .bufferingNewest(1))
        let halt = rig.hub.map { either(stop, $0.lost) } ?? stop
        if let start { await halt.sleep(until: start, on: clock) }
        async let run = engine.run(workload, stop: halt, progress: sink)
        await outputs.consume(snapshots)
        var result = await run
        result.partial = stop.isTriggered
        return result
    }

    /// A signal that fires when either of `a` and `b` does.
    private static func either(_ a: StopSignal, _ b: StopSignal) -> StopSignal {
        let both = StopSignal()
        for signal in [a, b] where signal.onTrigger({ both.trigger() }) == nil { both.trigger() }
        return both
    }

    /// What a load that did not run leaves: nothing measured.
    static func skipped(_ workload: Workload) -> RunResult {
        RunResult(metrics: RunMetrics(), elapsed: .zero, partial: false, timeline: Timeline(intervalSeconds: workload.timelineInterval.inSeconds))
    }

    /// A load stopped (Ctrl-C) before it began: nothing measured, and the report is partial.
    static func interrupted(_ workload: Workload) -> RunResult {
        var result = skipped(workload)
        result.partial = true
        return result
    }

    /// The line said before the load starts.
    static func announcement(_ rig: Rig) -> String {
        let w = rig.plan.workload
        let load = switch w.model {
        case .closed: "\(w.users.count) users"
        case .open(let schedule, _): "\(ConsoleSummary.fmt(schedule.meanRate)) conversations/s (at most \(w.users.count) in flight)"
        }
        return "running scenario '\(w.scenario.name)': \(load) for \(DurationText.seconds(w.duration)) s against \(rig.target)"
    }
}
