/// The clock of real runs: `ContinuousClock`'s instants, its sleeps filed with the runtime's timers.
///
/// A concrete type in this module on purpose. The engine is generic over its clock (tests run it in
/// virtual time), and generic code called from another module runs unspecialised: every value of a
/// clock-dependent type copied through its witness table, every type looked up in the runtime's metadata
/// cache — 9 % of a 100,000-user run's CPU. `Engine<WallClock>.run` is specialised here, and everything it
/// calls with it.
public struct WallClock: EngineClock {
    public typealias Instant = ContinuousClock.Instant

    /// Where the sleeps go (the runtime's event loop timers).
    public let timers: any WallTimers

    public init(timers: any WallTimers) { self.timers = timers }

    public var now: Instant { .now }
    public var minimumResolution: Duration { timers.resolution }
    public var homes: Int { timers.homes }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        await timers.sleep(until: deadline, or: nil, home: nil)
        try Task.checkCancellation()
    }

    public func sleep(until deadline: Instant, or stop: StopSignal) async {
        await timers.sleep(until: deadline, or: stop, home: nil)
    }

    public func sleep(until deadline: Instant, or stop: StopSignal, home: Int) async {
        await timers.sleep(until: deadline, or: stop, home: home)
    }
}

/// Timers a `WallClock` sleeps on: the runtime's, on its event loops.
public protocol WallTimers: Sendable {
    /// Returns at `deadline`, when `stop` fires, or at once when the calling task is cancelled; wakes the
    /// sleeper on thread `home` modulo `homes` when one is given.
    func sleep(until deadline: ContinuousClock.Instant, or stop: StopSignal?, home: Int?) async
    /// How many threads sleepers wake on.
    var homes: Int { get }
    /// How late a sleep may wake.
    var resolution: Duration { get }
}

extension Engine where C == WallClock {
    /// Runs `workload` (see the generic `run`), with the engine specialised for the wall clock.
    public func run(
        _ workload: Workload, stop: StopSignal = StopSignal(), progress: AsyncStream<Progress>.Continuation? = nil
    ) async -> RunResult {
        await execute(workload, stop: stop, progress: progress)
    }
}
