/// The outcome of a run: `pass`, `fail` (a gate failed) or `rollback` (a tripwire fired).
public enum Verdict: String, Sendable, Hashable, Codable, Comparable {
    case pass, fail, rollback

    public static func < (a: Verdict, b: Verdict) -> Bool { a.severity < b.severity }
    private var severity: Int { switch self { case .pass: 0; case .fail: 1; case .rollback: 2 } }
}

/// What criteria are judged against: the metrics plus what the harness checked on the side.
public struct Observations: Sendable {
    public var metrics: RunMetrics
    /// Whether replies were awaited; with `--replies none` reply criteria are skipped, not failed.
    public var repliesMeasured: Bool
    /// The target's health (nil: not probed).
    public var healthOK: Bool?
    /// Scripted checks that failed (handshake, …).
    public var checksFailed: Int
    /// How the bot's sends matched the users' turns (duplicates, wrong users, …).
    public var correlation: CorrelationCounters

    public init(metrics: RunMetrics, repliesMeasured: Bool, healthOK: Bool? = nil, checksFailed: Int = 0,
                correlation: CorrelationCounters = CorrelationCounters()) {
        self.metrics = metrics
        self.repliesMeasured = repliesMeasured
        self.healthOK = healthOK
        self.checksFailed = checksFailed
        self.correlation = correlation
    }
}

/// How a check or criterion came out, as report.json says it.
public enum CheckStatus: String, Sendable, Hashable, Codable {
    case pass, fail, skipped
}

/// One criterion's result, as report.json lists it.
public struct CheckResult: Sendable, Hashable, Codable {
    /// The metric, e.g. `reply.p95`.
    public var name: String
    /// The preset (or `custom`) it came from.
    public var preset: String
    /// E.g. `< 500 ms`.
    public var threshold: String
    /// The measured value (nil when it could not be measured).
    public var actual: Double?
    /// `pass`, `fail` or `skipped`.
    public var status: CheckStatus
    /// Whether it passed (skipped checks count as passed; see `note`).
    public var passed: Bool
    /// Why it was skipped or could not be measured.
    public var note: String?
}

extension CheckResult {
    /// The measured value in the metric's unit (`8.3 ms`, `1.5 %`), or `n/a`.
    public var actualText: String {
        actual.map { CriterionMetric(checkName: name)?.format($0) ?? ConsoleSummary.fmt($0) } ?? "n/a"
    }
}

/// The verdict and every check behind it.
public struct Evaluation: Sendable, Hashable {
    public var verdict: Verdict
    public var checks: [CheckResult]
}

/// Evaluates criteria against observations. Pure: same inputs, same verdict.
public func evaluate(_ sets: [CriteriaSet], against o: Observations) -> Evaluation {
    var verdict = Verdict.pass
    var checks: [CheckResult] = []
    for set in sets {
        for c in set.criteria {
            var result = CheckResult(name: c.name, preset: set.name, threshold: c.thresholdText,
                                     actual: nil, status: .fail, passed: false, note: nil)
            if c.metric.needsReplies, !o.repliesMeasured {
                result.status = .skipped
                result.passed = true
                result.note = "replies not awaited (--replies none)"
            } else if let actual = measure(c.metric, o, pattern: c.pattern) {
                result.actual = actual
                result.passed = c.comparison.holds(actual, c.threshold)
                result.status = result.passed ? .pass : .fail
            } else {
                result.note = unmeasuredNote(c.metric, o)
            }
            if !result.passed { verdict = max(verdict, set.onFailure) }
            checks.append(result)
        }
    }
    return Evaluation(verdict: verdict, checks: checks)
}

private func measure(_ metric: CriterionMetric, _ o: Observations, pattern: FailurePattern? = nil) -> Double? {
    let m = o.metrics
    // Chaos metrics: the worst over the injected patterns, or the one pattern asked for.
    let hitPatterns = m.patterns.filter { pattern == nil || $0.key == pattern }.values
    switch metric {
    case .errorRate: return m.turns > 0 ? m.errorRate : nil
    case .http5xxRate: return m.turns > 0 ? m.http5xxRate : nil
    case .successRate: return m.journeysStarted > m.journeysIncomplete ? m.successRate : nil
    case .fallbackRate: return m.replies > 0 ? m.fallbackRate : nil
    case .replyP50: return m.reply.count > 0 ? m.reply.milliseconds(atPercentile: 50) : nil
    case .replyP90: return m.reply.count > 0 ? m.reply.milliseconds(atPercentile: 90) : nil
    case .replyP95: return m.reply.count > 0 ? m.reply.milliseconds(atPercentile: 95) : nil
    case .replyP99: return m.reply.count > 0 ? m.reply.milliseconds(atPercentile: 99) : nil
    case .replyMax: return m.reply.count > 0 ? m.reply.maxMilliseconds : nil
    case .ackP50: return m.ack.count > 0 ? m.ack.milliseconds(atPercentile: 50) : nil
    case .ackP90: return m.ack.count > 0 ? m.ack.milliseconds(atPercentile: 90) : nil
    case .ackP95: return m.ack.count > 0 ? m.ack.milliseconds(atPercentile: 95) : nil
    case .ackP99: return m.ack.count > 0 ? m.ack.milliseconds(atPercentile: 99) : nil
    case .ackMax: return m.ack.count > 0 ? m.ack.maxMilliseconds : nil
    case .ackOver1s: return m.ack.count > 0 ? m.ack.fraction(above: 1000) : nil
    case .health: return o.healthOK.map { $0 ? 1 : 0 }
    case .checksFailed: return Double(o.checksFailed)
    case .duplicateReplies: return Double(o.correlation.duplicate)
    case .unsolicitedReplies: return Double(o.correlation.unsolicited)
    case .wrongUserReplies: return Double(o.correlation.wrongUser)
    case .unknownUserReplies: return Double(o.correlation.unknownUser)
    case .arrivalsDropped: return Double(m.arrivalsDropped)
    case .arrivalsLate: return Double(m.arrivalsLate)
    case .chaosGracefulRate:
        let hit = hitPatterns.filter { $0.injected > 0 }
        return hit.isEmpty ? nil : hit.map(\.gracefulRate).min()
    case .chaosActivationP95:
        let hit = hitPatterns.filter { $0.activation.count > 0 }
        return hit.isEmpty ? nil : hit.map { $0.activation.milliseconds(atPercentile: 95) }.max()
    case .chaosActivationP99:
        let hit = hitPatterns.filter { $0.activation.count > 0 }
        return hit.isEmpty ? nil : hit.map { $0.activation.milliseconds(atPercentile: 99) }.max()
    }
}

private func unmeasuredNote(_ metric: CriterionMetric, _ o: Observations) -> String {
    switch metric {
    case .health: "health not probed: pass --health URL"
    case .successRate: "no journey finished"
    case .fallbackRate: "no replies"
    case .chaosGracefulRate, .chaosActivationP95, .chaosActivationP99: "no fault was injected"
    default: metric.rawValue.hasPrefix("reply.") ? "no replies" : (metric.rawValue.hasPrefix("ack.") ? "no acks" : "no turns")
    }
}
