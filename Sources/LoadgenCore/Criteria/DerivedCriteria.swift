/// The criteria a run owes the truth whatever was asked, judged beside the given ones:
///
/// - `plan`: every pattern of the chaos plan fired (`chaos.injected[P] > 0`) — a drill whose windows open
///   after the run ended, or whose faults no call reached, proves nothing;
/// - `patterns`: every pattern that fired was handled gracefully (`chaos.gracefulRate[P]`, at the run's
///   `chaos.gracefulRate` threshold, else 99 %);
/// - `journeys`: with several journeys and an `errorRate` criterion, each journey holds it (`errorRate[J]`);
/// - `checks`: every scripted check passed (`checks.failed <= 0`) — the ones that say whether the numbers
///   are the target's (`generator`, `connections`, `hub`, `embedded bot`) above all: a run whose generator
///   fell behind, or whose shard lost its hub, has not measured what its other criteria judge.
///
/// A criterion the user wrote for one pattern or journey takes that one's place; one on `checks.failed`, the `checks` set's.
public func derivedCriteria(_ sets: [CriteriaSet], _ o: Observations) -> [CriteriaSet] {
    let given = sets.flatMap(\.criteria)
    let plan = o.chaos.patterns.filter { p in !given.contains { $0.metric == .chaosInjected && $0.pattern == p } }
        .map { Criterion(.chaosInjected, .greaterThan, 0, pattern: $0) }
    let everyPattern = given.first { $0.metric == .chaosGracefulRate && $0.pattern == nil } ?? Criterion(.chaosGracefulRate, .atLeast, 0.99)
    let fired = FailurePattern.allCases.filter { (o.metrics.patterns[$0]?.injected ?? 0) > 0 }
    let patterns = fired.filter { p in !given.contains { $0.metric == .chaosGracefulRate && $0.pattern == p } }
        .map { Criterion(.chaosGracefulRate, everyPattern.comparison, everyPattern.threshold, pattern: $0) }
    let checks = given.contains { $0.metric == .checksFailed } ? [] : [Criterion(.checksFailed, .atMost, 0)]
    return [CriteriaSet(name: "plan", criteria: plan), CriteriaSet(name: "patterns", criteria: patterns),
            CriteriaSet(name: "journeys", criteria: journeyCriteria(sets, o)), CriteriaSet(name: "checks", criteria: checks)]
        .filter { !$0.criteria.isEmpty }
}

/// Each journey held to the run's error rate, when there are several journeys and a gate for it.
private func journeyCriteria(_ sets: [CriteriaSet], _ o: Observations) -> [Criterion] {
    let given = sets.flatMap(\.criteria)
    let personas = Set(o.metrics.steps.keys.map(\.persona)).sorted()
    let gates = sets.filter { $0.onFailure == .fail }.flatMap(\.criteria)
    guard personas.count > 1, let limit = gates.first(where: { $0.metric == .errorRate && $0.journey == nil }) else { return [] }
    return personas.filter { j in !given.contains { $0.journey == j } }.map { Criterion(.errorRate, limit.comparison, limit.threshold, journey: $0) }
}

extension ChaosPlan {
    /// The patterns the plan injects, each once, in plan order.
    public var patterns: [FailurePattern] {
        faults.reduce(into: []) { seen, fault in if !seen.contains(fault.pattern) { seen.append(fault.pattern) } }
    }
}
