/// One pass/fail check: a measured quantity compared with a threshold, e.g. `reply.p95 < 500ms`.
public struct Criterion: Sendable, Hashable {
    /// What is measured.
    public var metric: CriterionMetric
    /// How the measurement must compare with the threshold to pass.
    public var comparison: Comparison
    /// The threshold, in the metric's unit (milliseconds for latencies, a fraction for rates).
    public var threshold: Double
    /// Chaos metrics only: one failure pattern's figure instead of the worst over all of them
    /// (`chaos.activation.p95[timeout]<5s`).
    public var pattern: FailurePattern?
    /// `errorRate` only: one journey's (persona's) error rate instead of the run's (`errorRate[buyer]<2%`).
    public var journey: String?

    /// Creates a criterion.
    public init(_ metric: CriterionMetric, _ comparison: Comparison, _ threshold: Double, pattern: FailurePattern? = nil, journey: String? = nil) {
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.pattern = pattern
        self.journey = journey
    }

    /// The measured quantity's name in reports: `chaos.gracefulRate`, `chaos.gracefulRate[timeout]`, `errorRate[buyer]`.
    public var name: String { metric.rawValue + ((pattern?.rawValue ?? journey).map { "[\($0)]" } ?? "") }

    /// `<`, `<=`, `>`, `>=`.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case lessThan = "<", atMost = "<=", greaterThan = ">", atLeast = ">="

        func holds(_ actual: Double, _ threshold: Double) -> Bool {
            switch self {
            case .lessThan: actual < threshold
            case .atMost: actual <= threshold
            case .greaterThan: actual > threshold
            case .atLeast: actual >= threshold
            }
        }
    }

    /// Whether `actual` passes this criterion.
    public func holds(_ actual: Double) -> Bool { comparison.holds(actual, threshold) }

    /// The threshold as reports print it: `< 0.02`, `< 500 ms`.
    public var thresholdText: String {
        comparison.rawValue + " " + metric.format(threshold)
    }

    /// The criterion as one expression, e.g. `reply.p95 < 500 ms`.
    public var text: String { name + " " + thresholdText }
}

/// The quantities criteria can test.
public enum CriterionMetric: String, Sendable, Hashable, CaseIterable {
    case errorRate, successRate, fallbackRate, http5xxRate
    case replyP50 = "reply.p50", replyP90 = "reply.p90", replyP95 = "reply.p95", replyP99 = "reply.p99"
    case replyMax = "reply.max"
    case ackP50 = "ack.p50", ackP90 = "ack.p90", ackP95 = "ack.p95", ackP99 = "ack.p99", ackMax = "ack.max"
    /// Fraction of acks slower than 1 s (Meta's webhook standard: under 1 %).
    case ackOver1s = "ack.over1s"
    /// 1 when the target's health endpoint says ok, 0 otherwise.
    case health
    /// Scripted checks (handshake, scenario checks) that failed.
    case checksFailed = "checks.failed"
    /// Counts of bot sends that quote an already-answered message, come with no open turn (extra bubbles,
    /// answers to duplicates, late replies), quote another user's message, or go to unknown numbers.
    case duplicateReplies = "replies.duplicate", unsolicitedReplies = "replies.unsolicited"
    case wrongUserReplies = "replies.wrongUser", unknownUserReplies = "replies.unknownUser"
    /// Sends the stand-in Graph API refused as Meta would (bad path, token, phone number id or body).
    case refusedReplies = "replies.refused"
    /// Open model: arrivals dropped (in-flight cap) and launched late.
    case arrivalsDropped = "arrivals.dropped", arrivalsLate = "arrivals.late"
    /// Chaos: the lowest graceful share over the injected patterns, and the slowest pattern's p95/p99
    /// fallback activation latency.
    case chaosGracefulRate = "chaos.gracefulRate", chaosActivationP95 = "chaos.activation.p95"
    case chaosActivationP99 = "chaos.activation.p99"
    /// Chaos: calls (or turns) a pattern's faults hit — `chaos.injected[timeout]>0` says the plan really
    /// fired; without a pattern, the fewest over the planned patterns.
    case chaosInjected = "chaos.injected"

    /// The metric of a check named `name` in a report (`chaos.gracefulRate[timeout]` → chaos.gracefulRate).
    public init?(checkName name: String) {
        self.init(rawValue: String(name.prefix { $0 != "[" }))
    }

    /// Whether the metric takes a `[PATTERN]` (the chaos metrics).
    public var isPerPattern: Bool { rawValue.hasPrefix("chaos.") }

    /// Whether the metric is a latency in milliseconds.
    public var isLatency: Bool {
        rawValue.hasPrefix("reply.") || rawValue.hasPrefix("chaos.activation") || (rawValue.hasPrefix("ack.") && self != .ackOver1s)
    }

    /// Whether the metric needs replies (unmeasurable with `--replies none`).
    public var needsReplies: Bool { rawValue.hasPrefix("reply.") || self == .fallbackRate }

    /// Whether the metric is a fraction (reports show it as a percentage).
    public var isRate: Bool {
        [.errorRate, .successRate, .fallbackRate, .http5xxRate, .ackOver1s, .chaosGracefulRate].contains(self)
    }

    /// A value in the metric's unit, for reports: `500 ms`, `2 %`, `ok`.
    public func format(_ value: Double) -> String {
        if isLatency { return Self.trim(value) + " ms" }
        if isRate { return Self.trim((value * 100 * 10_000).rounded() / 10_000) + " %" }
        if self == .health { return value >= 1 ? "ok" : "not ok" }
        return Self.trim(value)
    }

    static func trim(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
