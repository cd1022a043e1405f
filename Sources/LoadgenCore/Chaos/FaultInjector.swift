import Synchronization

/// Decides, call by call, whether a stand-in upstream injects a fault, and remembers which turns were hit.
///
/// Stand-ins ask `fault(at:correlationID:elapsed:)` for every call they serve; the answer follows the
/// plan's schedules (pure `FaultSchedule` decisions with seeded draws). Bots pass the inbound message id
/// to their upstreams as `X-Correlation-ID` (EasyMO does), so an injection can be traced to the user's
/// turn it degraded — which is what the judging of each pattern needs.
///
/// Shared on purpose: one per run, owned by the runtime; every stand-in, fault proxy and the engine's
/// traffic-side faults draw from it (so draws and windows follow one plan), and the engine reads the
/// turns it hit. Time is the run's injected clock, given at `begin`.
public final class FaultInjector: Sendable {
    private struct State {
        /// Time since the run began, on the run's clock (zero until `begin`).
        var elapsed: @Sendable () -> Duration = { .zero }
        var random: SeededRandom
        var injected: [FailurePattern: UInt64] = [:]
        var untraced: [FailurePattern: UInt64] = [:]
        var hitTurns: [String: [FailurePattern]] = [:]

        /// Counts a hit of `pattern`; one that judges its turn is remembered against turn `id` (untraced without one).
        mutating func hit(_ pattern: FailurePattern, turn id: String?, judgesTheTurn: Bool) {
            injected[pattern, default: 0] += 1
            guard judgesTheTurn else { return }
            guard let id else { return untraced[pattern, default: 0] += 1 }
            if hitTurns[id]?.contains(pattern) != true { hitTurns[id, default: []].append(pattern) }
        }
    }
    private let plan: ChaosPlan
    /// Each pattern's graceful expectation (the plan's override, else the pattern's own), compiled once.
    private let expectations: [FailurePattern: CompiledMatcher]
    private let state: Mutex<State>
    /// Where hits go instead of being remembered (a hub's injector hands each to the shard whose turn it is).
    private let forward: (@Sendable (FailurePattern, _ turn: String?, _ judgesTheTurn: Bool) -> Void)?

    /// An injector for `plan`, its draws seeded by `seed`. With `forward`, every hit is handed to it (the
    /// pattern, the turn's id, whether it judges the turn) and neither counted nor remembered here: `loadgen
    /// hub` injects at its proxies what the shards judge (`absorb`).
    public init(plan: ChaosPlan, seed: UInt64, forward: (@Sendable (FailurePattern, _ turn: String?, _ judgesTheTurn: Bool) -> Void)? = nil) {
        self.plan = plan
        self.forward = forward
        expectations = Dictionary(FailurePattern.allCases.map { p in (p, CompiledMatcher(plan.faults.first { $0.pattern == p }?.expected ?? p.expected)) }) { a, _ in a }
        state = Mutex(State(random: SeededRandom(seed: seed, stream: 0xC4A05)))
    }

    /// Marks the start of the run on `clock`: schedules' windows count from `start`.
    public func begin<C: Clock<Duration>>(at start: C.Instant, on clock: C) {
        state.withLock { $0.elapsed = { start.duration(to: clock.now) } }
    }

    /// The fault for a call at `site` now, if any, and its pattern.
    public func fault(at site: InjectionSite, correlationID: String?) -> (FailurePattern, FaultShape)? {
        fault(at: [site], correlationID: correlationID)
    }

    /// Time since `begin`: where the run is in the plan's windows.
    public var elapsed: Duration { state.withLock { $0.elapsed }() }

    /// The expectation for turns hit by `pattern` (the plan's override, else the pattern's own).
    public func expectation(for pattern: FailurePattern) -> CompiledMatcher {
        expectations[pattern] ?? CompiledMatcher(pattern.expected)
    }

    /// Records that the engine itself injected `pattern` into the turn of message `id` (traffic-side faults).
    public func record(_ pattern: FailurePattern, turn id: String) {
        state.withLock { s in
            s.injected[pattern, default: 0] += 1
            s.hitTurns[id, default: []].append(pattern)
        }
    }

    /// The fault for a call at `site` made `elapsed` into the run, if any, and its pattern.
    public func fault(at site: InjectionSite, correlationID: String?, elapsed: Duration) -> (FailurePattern, FaultShape)? {
        fault(at: [site], correlationID: correlationID, elapsed: elapsed)
    }

    /// The fault for a call that may belong to any of `sites` (one upstream serving several, such as a
    /// database holding sessions and the catalogue), made `elapsed` into the run.
    public func fault(at sites: [InjectionSite], correlationID: String?, elapsed: Duration? = nil) -> (FailurePattern, FaultShape)? {
        let candidates = plan.faults.filter { sites.contains($0.site) }
        guard !candidates.isEmpty else { return nil }
        let elapsed = elapsed ?? self.elapsed
        let id = correlationID.flatMap { $0.isEmpty ? nil : $0 }
        let fault: ChaosPlan.Fault? = state.withLock { s in
            guard let fault = candidates.first(where: { $0.schedule.injects(at: elapsed, roll: s.random.nextFraction()) }) else { return nil }
            if forward == nil { s.hit(fault.pattern, turn: id, judgesTheTurn: fault.shape.judgesTheTurn) }
            return fault
        }
        guard let fault else { return nil }
        forward?(fault.pattern, id, fault.shape.judgesTheTurn)
        return (fault.pattern, fault.shape)
    }

    /// Records a hit another process's injector made (the hub's, `forward`) as if this one had: counted,
    /// and the turn of `id` remembered as hit when the fault judges turns (untraced without an id).
    public func absorb(_ pattern: FailurePattern, turn id: String?, judgesTheTurn: Bool) {
        state.withLock { $0.hit(pattern, turn: id.flatMap { $0.isEmpty ? nil : $0 }, judgesTheTurn: judgesTheTurn) }
    }

    /// Calls hit that carried no `X-Correlation-ID`, per pattern: the bot did not say which turn they
    /// belong to, so they are counted but cannot be judged turn by turn.
    public var untraced: [FailurePattern: UInt64] { state.withLock { $0.untraced } }

    /// The patterns injected into the turn of inbound message `id`, in the order they hit (and forgets
    /// them: memory stays bounded by the turns in flight). Empty when the turn was not hit.
    public func patterns(forTurn id: String) -> [FailurePattern] { state.withLock { $0.hitTurns.removeValue(forKey: id) ?? [] } }

    /// The plan this injector follows.
    public var chaos: ChaosPlan { plan }

    /// Calls hit, per pattern.
    public var injected: [FailurePattern: UInt64] { state.withLock { $0.injected } }
}
