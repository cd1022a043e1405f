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
    /// The chaos plan the run followed, the hits no turn could be traced to, and how long the run lasted:
    /// what it takes to say whether a planned fault ever fired.
    public var chaos: ChaosPlan
    public var untraced: [FailurePattern: UInt64]
    public var elapsed: Duration?
    /// The rollback tripwire that stopped the run, if one did.
    public var tripped: Trip?

    public init(metrics: RunMetrics, repliesMeasured: Bool, healthOK: Bool? = nil, checksFailed: Int = 0,
                correlation: CorrelationCounters = CorrelationCounters(), chaos: ChaosPlan = ChaosPlan(),
                untraced: [FailurePattern: UInt64] = [:], elapsed: Duration? = nil, tripped: Trip? = nil) {
        self.tripped = tripped
        self.metrics = metrics
        self.repliesMeasured = repliesMeasured
        self.healthOK = healthOK
        self.checksFailed = checksFailed
        self.correlation = correlation
        self.chaos = chaos
        self.untraced = untraced
        self.elapsed = elapsed
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
    /// The rollback tripwire that stopped the run, if one did (its failed check is among `checks`).
    public var tripped: Trip? = nil
}
