/// Evaluates criteria against observations — the given ones, and those a run owes the truth whatever
/// was asked (`derivedCriteria`): every planned fault fired, every pattern it hit was handled gracefully,
/// every journey held the run's error rate. One verdict for the exit code, the summary and JUnit.
/// Pure: same inputs, same verdict.
public func evaluate(_ sets: [CriteriaSet], against o: Observations) -> Evaluation {
    var verdict = Verdict.pass
    var checks: [CheckResult] = []
    for set in sets + derivedCriteria(sets, o) {
        for c in set.criteria {
            let result = judge(c, preset: set.name, o)
            if !result.passed { verdict = max(verdict, set.onFailure) }
            checks.append(result)
        }
    }
    if let trip = o.tripped {  // a tripwire that fired while the run went on fails its set, whatever the whole run says
        verdict = max(verdict, sets.first { $0.name == trip.set }?.onFailure ?? .rollback)
        checks.append(trip.check)
    }
    return Evaluation(verdict: verdict, checks: checks, tripped: o.tripped)
}

func judge(_ c: Criterion, preset: String, _ o: Observations) -> CheckResult {
    var result = CheckResult(name: c.name, preset: preset, threshold: c.thresholdText, actual: nil, status: .fail, passed: false, note: nil)
    if c.metric.needsReplies, !o.repliesMeasured {
        (result.status, result.passed, result.note) = (.skipped, true, "replies not awaited (--replies none)")
    } else if c.metric == .arrivalsDropped || c.metric == .arrivalsLate, o.metrics.arrivalsPlanned == 0 {
        (result.status, result.passed, result.note) = (.skipped, true, "no arrivals: a closed-model run")
    } else if let actual = measure(c, o) {
        result.actual = actual
        result.passed = c.comparison.holds(actual, c.threshold)
        result.status = result.passed ? .pass : .fail
        if c.metric == .chaosInjected, actual == 0, let pattern = c.pattern { result.note = unfiredNote(pattern, o) }
    } else {
        result.note = unmeasuredNote(c, o)
    }
    return result
}

private func measure(_ c: Criterion, _ o: Observations) -> Double? {
    let m = o.metrics
    if let journey = c.journey {  // errorRate[JOURNEY]
        let rows = m.steps.filter { $0.key.persona == journey }.values
        let turns = rows.reduce(0) { $0 + $1.turns }
        return turns > 0 ? Double(rows.reduce(0) { $0 + $1.errors }) / Double(turns) : nil
    }
    switch c.metric {
    case .errorRate: return m.turns > 0 ? m.errorRate : nil
    case .http5xxRate: return m.turns > 0 ? m.http5xxRate : nil
    case .successRate: return m.journeysStarted > m.journeysIncomplete ? m.successRate : nil
    case .fallbackRate: return m.replies > 0 ? m.fallbackRate : nil
    case .replyP50, .replyP90, .replyP95, .replyP99, .replyMax, .ackP50, .ackP90, .ackP95, .ackP99, .ackMax, .ackOver1s:
        return latency(c.metric, m)
    case .health: return o.healthOK.map { $0 ? 1 : 0 }
    case .checksFailed: return Double(o.checksFailed)
    case .duplicateReplies: return Double(o.correlation.duplicate)
    case .unsolicitedReplies: return Double(o.correlation.unsolicited)
    case .wrongUserReplies: return Double(o.correlation.wrongUser)
    case .unknownUserReplies: return Double(o.correlation.unknownUser)
    case .refusedReplies: return Double(o.correlation.refused)
    case .arrivalsDropped: return Double(m.arrivalsDropped)
    case .arrivalsLate: return Double(m.arrivalsLate)
    case .chaosGracefulRate, .chaosActivationP95, .chaosActivationP99, .chaosInjected: return chaos(c, o)
    }
}

private func latency(_ metric: CriterionMetric, _ m: RunMetrics) -> Double? {
    let h = metric.rawValue.hasPrefix("ack.") ? m.ack : m.reply
    guard h.count > 0 else { return nil }
    switch metric {
    case .replyP50, .ackP50: return h.milliseconds(atPercentile: 50)
    case .replyP90, .ackP90: return h.milliseconds(atPercentile: 90)
    case .replyP95, .ackP95: return h.milliseconds(atPercentile: 95)
    case .replyP99, .ackP99: return h.milliseconds(atPercentile: 99)
    case .ackOver1s: return h.fraction(above: 1000)
    default: return h.maxMilliseconds
    }
}

/// Chaos metrics: the worst over the injected patterns, or the one pattern asked for.
private func chaos(_ c: Criterion, _ o: Observations) -> Double? {
    let m = o.metrics
    if c.metric == .chaosInjected {
        let planned = c.pattern.map { [$0] } ?? o.chaos.patterns
        return planned.isEmpty ? nil : planned.map { Double((m.patterns[$0]?.injected ?? 0) + (o.untraced[$0] ?? 0)) }.min()
    }
    let stats = m.patterns.filter { c.pattern == nil || $0.key == c.pattern }.values
    if c.metric == .chaosGracefulRate {
        let hit = stats.filter { $0.injected > 0 }
        return hit.isEmpty ? nil : hit.map(\.gracefulRate).min()
    }
    let hit = stats.filter { $0.activation.count > 0 }
    return hit.isEmpty ? nil : hit.map { $0.activation.milliseconds(atPercentile: c.metric == .chaosActivationP95 ? 95 : 99) }.max()
}

private func unmeasuredNote(_ c: Criterion, _ o: Observations) -> String {
    if let journey = c.journey { return "journey '\(journey)' ran no turns" }
    switch c.metric {
    case .health: return "health not probed: pass --health URL"
    case .successRate: return "no journey finished"
    case .fallbackRate: return "no replies"
    case .chaosInjected: return "no chaos plan"
    case .chaosGracefulRate, .chaosActivationP95, .chaosActivationP99: return "no fault was injected"
    default: return c.metric.rawValue.hasPrefix("reply.") ? "no replies" : (c.metric.rawValue.hasPrefix("ack.") ? "no acks" : "no turns")
    }
}

/// Why a planned fault never fired: its window opened after the run ended, or nothing reached its site.
private func unfiredNote(_ pattern: FailurePattern, _ o: Observations) -> String {
    let faults = o.chaos.faults.filter { $0.pattern == pattern }
    let starts = faults.compactMap(\.schedule.window?.lowerBound)
    if let elapsed = o.elapsed, starts.count == faults.count, let start = starts.min(), start >= elapsed {
        let lasted = Duration.milliseconds((elapsed.inSeconds * 10).rounded() * 100)  // 40.1s, not 40.120093229s
        return "planned, never injected: its window opens at \(DurationText.format(start)), the run lasted \(DurationText.format(lasted))"
    }
    return "planned, never injected: no call reached the \(faults.first?.site.rawValue ?? pattern.site.rawValue) while it was on"
}
