/// How the bot handled one failure pattern: turns it hit, and what the user got back.
public struct PatternStats: Sendable, Codable, Equatable {
    /// Turns the pattern was injected into.
    public var injected: UInt64 = 0
    /// Replies matching the pattern's graceful expectation.
    public var graceful: UInt64 = 0
    /// The bot absorbed the fault (retried successfully) and the user got the normal reply.
    public var absorbed: UInt64 = 0
    /// Replies that came but were not graceful (a raw error, the wrong fallback, a leaked exception).
    public var wrong: UInt64 = 0
    /// No reply within the reply timeout: the user heard nothing.
    public var silent: UInt64 = 0
    /// The delivery itself failed (non-200 ack, connection error).
    public var errored: UInt64 = 0
    /// Send → graceful reply: the fallback's activation latency (EasyMO: p50 < 300 ms, p95 < 500 ms, p99 < 1 s).
    public var activation = LatencyHistogram()

    public init() {}

    public mutating func merge(_ other: PatternStats) {
        injected += other.injected
        graceful += other.graceful
        absorbed += other.absorbed
        wrong += other.wrong
        silent += other.silent
        errored += other.errored
        activation.add(other.activation)
    }

    /// (graceful + absorbed) / injected: the share of hit turns where the user was served well (1 when
    /// nothing was injected).
    public var gracefulRate: Double { injected == 0 ? 1 : Double(graceful + absorbed) / Double(injected) }
}

/// Turns, errors and reply latency within one phase of a chaos run (baseline, fault, recovery).
public struct PhaseStats: Sendable, Codable, Equatable {
    public var turns: UInt64 = 0
    public var errors: UInt64 = 0
    public var fallbacks: UInt64 = 0
    /// The errors by class (only classes that occurred).
    public var errorsByClass: [String: UInt64] = [:]
    public var ack = LatencyHistogram()
    public var reply = LatencyHistogram()
    public init() {}
    public mutating func merge(_ other: PhaseStats) {
        turns += other.turns
        errors += other.errors
        fallbacks += other.fallbacks
        errorsByClass.merge(other.errorsByClass, uniquingKeysWith: +)
        ack.add(other.ack)
        reply.add(other.reply)
    }
}
