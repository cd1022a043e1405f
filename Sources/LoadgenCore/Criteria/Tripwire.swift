/// Rollback tripwires judged while the run goes on, like k6's `abortOnFail`: the `rollback` sets'
/// criteria that a stretch of the run can measure (error, 5xx and fallback rates, ack and reply
/// latency), evaluated at every snapshot over the last `window` of the run. The first that fails —
/// once the window holds at least `minimumTurns` turns, so one early error cannot trip it — stops new
/// turns at once; the verdict is `rollback` and the report says when and why.
///
/// Pure: fed the running totals and the time, it answers whether a tripwire fired.
///
/// ```swift
/// var tripwire = Tripwire(sets: plan.criteria)          // nil: no rollback set
/// if let trip = tripwire?.observe(totals, at: elapsed) { stop.trigger() }
/// ```
public struct Tripwire: Sendable {
    /// How much of the run a tripwire looks back over.
    public static let defaultWindow: Duration = .seconds(30)
    /// The fewest turns in the window before a tripwire may fire.
    public static let defaultMinimumTurns: UInt64 = 20

    /// The criteria watched, each with the set it came from.
    public let watched: [(set: String, criterion: Criterion)]
    public let window: Duration
    public let minimumTurns: UInt64
    private let repliesMeasured: Bool
    /// Snapshots of the running totals, oldest first, covering the window (and the one just before it).
    private var history: [(at: Duration, totals: RunMetrics)] = [(.zero, RunMetrics())]

    /// The tripwires of `sets` (the `rollback` ones); nil when there are none a window can measure.
    public init?(sets: [CriteriaSet], repliesMeasured: Bool = true, window: Duration = Tripwire.defaultWindow,
                 minimumTurns: UInt64 = Tripwire.defaultMinimumTurns) {
        let watched = sets.filter { $0.onFailure == .rollback }.flatMap { set in
            set.criteria.filter { $0.metric.isWindowed && $0.journey == nil && (repliesMeasured || !$0.metric.needsReplies) }
                .map { (set: set.name, criterion: $0) }
        }
        guard !watched.isEmpty, window > .zero else { return nil }
        self.watched = watched
        self.window = window
        self.minimumTurns = max(1, minimumTurns)
        self.repliesMeasured = repliesMeasured
    }

    /// Takes the running totals at `elapsed` (the headline figures); the trip, if a tripwire fails over
    /// the window that ends now.
    public mutating func observe(_ totals: RunMetrics, at elapsed: Duration) -> Trip? {
        history.append((elapsed, totals))
        // Keep the newest snapshot at or before the window's start: the baseline the window is measured from.
        while history.count > 2, history[1].at <= elapsed - window { history.removeFirst() }
        let base = history[0]
        let span = totals.headline(since: base.totals)
        guard span.turns >= minimumTurns else { return nil }
        let observations = Observations(metrics: span, repliesMeasured: repliesMeasured)
        for (set, criterion) in watched {
            let result = judge(criterion, preset: set, observations)
            guard result.status == .fail, let actual = result.actual else { continue }
            return Trip(atSeconds: Self.milliseconds(elapsed), set: set, criterion: criterion.name, threshold: criterion.thresholdText,
                        actual: actual, actualText: criterion.metric.format(actual),
                        windowSeconds: Self.milliseconds(elapsed - base.at), turns: span.turns)
        }
        return nil
    }

    private static func milliseconds(_ d: Duration) -> Double { (d.inSeconds * 1000).rounded() / 1000 }
}

/// A rollback tripwire that fired: report.json's `tripped` (absent when none did).
public struct Trip: Sendable, Codable, Equatable, Hashable {
    /// Seconds since the run started when it fired; no turn started after it.
    public var atSeconds: Double
    /// The set (`rollback`) and the criterion (`errorRate`) that failed, and its threshold (`<= 5 %`).
    public var set: String
    public var criterion: String
    public var threshold: String
    /// The value over the window, in the metric's unit (a fraction for rates, ms for latencies), and as shown.
    public var actual: Double
    public var actualText: String
    /// How much of the run the window covered, and the turns in it.
    public var windowSeconds: Double
    public var turns: UInt64

    public init(atSeconds: Double, set: String, criterion: String, threshold: String, actual: Double, actualText: String,
                windowSeconds: Double, turns: UInt64) {
        self.atSeconds = atSeconds
        self.set = set
        self.criterion = criterion
        self.threshold = threshold
        self.actual = actual
        self.actualText = actualText
        self.windowSeconds = windowSeconds
        self.turns = turns
    }

    /// One line: `rollback tripwire errorRate <= 5 % fired at 42 s: 8 % over the last 30 s (412 turns); no turn started after it`.
    public var description: String {
        "rollback tripwire \(criterion) \(threshold) fired at \(CriterionMetric.trim(atSeconds)) s: \(actualText) over the last "
            + "\(CriterionMetric.trim(windowSeconds)) s (\(turns) turns); no turn started after it"
    }

    /// The check it adds to the run's criteria: failed, in its set, so the verdict is the set's (`rollback`).
    var check: CheckResult {
        CheckResult(name: criterion, preset: set, threshold: threshold, actual: actual, status: .fail, passed: false,
                    note: "tripped at \(CriterionMetric.trim(atSeconds)) s over the last \(CriterionMetric.trim(windowSeconds)) s "
                        + "(\(turns) turns); the run stopped starting turns")
    }
}

extension CriterionMetric {
    /// Whether a stretch of the run can measure it from the headline figures: rates of turns and replies,
    /// and ack and reply latency. (Journeys, checks, health, counts and chaos are judged at the end.)
    public var isWindowed: Bool {
        isLatency && !isPerPattern || [.errorRate, .http5xxRate, .fallbackRate, .ackOver1s].contains(self)
    }
}
