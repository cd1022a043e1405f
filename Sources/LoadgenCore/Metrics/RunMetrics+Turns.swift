extension RunMetrics {
    /// Counts `n` turns of step `key` as `verdict` judged them: the totals and the step's row, the acks
    /// (when acked; how long every answer waited on loadgen's side, whatever it said), the reply, each hit
    /// pattern's outcome, and — in a chaos run (`moment`) — the phase the turn started in and the recovery
    /// point a clean turn marks.
    public mutating func record(
        _ verdict: TurnVerdict, turns n: UInt64, of key: StepKey, acks: some BidirectionalCollection<AckSample>, at moment: ChaosMoment?
    ) {
        countTurns(n, of: key)
        if let error = verdict.error { countErrors(n, of: key, error) }
        for ack in acks { if let waited = ack.waited { recordAnswerWait(waited) } }
        if verdict.acked { for ack in acks { self.ack.record(ack.latency) } }
        if let latency = verdict.latency {
            replies += n
            reply.record(latency)
            steps[key, default: StepStats()].reply.record(latency)
            if verdict.fallback { fallbackReplies += 1 }
        }
        for (pattern, outcome) in verdict.patterns { patterns[pattern, default: PatternStats()].count(outcome, latency: verdict.latency) }
        guard verdict.countsInPhases, let moment else { return }
        recordPhase(verdict, turns: n, of: key, ack: verdict.acked ? acks.last?.latency : nil, at: moment)
    }

    private mutating func recordPhase(_ verdict: TurnVerdict, turns n: UInt64, of key: StepKey, ack: Duration?, at moment: ChaosMoment) {
        let phase = moment.phase
        steps[key, default: StepStats()].count(phase: phase, turns: n, errors: verdict.error == nil ? 0 : n)
        phases[phase, default: PhaseStats()].turns += n
        if let error = verdict.error {
            phases[phase, default: PhaseStats()].errors += n
            phases[phase, default: PhaseStats()].errorsByClass[error.rawValue, default: 0] += n
        }
        if verdict.fallback { phases[phase, default: PhaseStats()].fallbacks += 1 }
        if let latency = verdict.latency { phases[phase, default: PhaseStats()].reply.record(latency) }
        if let ack { phases[phase, default: PhaseStats()].ack.record(ack) }
        guard verdict.passed, !verdict.fallback, !verdict.injected else { return }
        for (fault, after) in moment.sinceClosed { recoveredAt[fault] = min(recoveredAt[fault] ?? after, after) }
    }
}

/// One delivery's ack latency, and how long its answer waited on loadgen's side (`Delivered.waited`).
public struct AckSample: Sendable, Equatable {
    public var latency: Duration
    public var waited: Duration?

    /// The ack of a delivery whose call took `elapsed`: to when loadgen read the answer, not to when the
    /// caller ran again (`waited` earlier; nil: no answer, or a transport that cannot tell).
    public init(elapsed: Duration, waited: Duration?) {
        latency = max(.zero, elapsed - (waited ?? .zero))
        self.waited = waited
    }
}

extension PatternStats {
    /// Counts one hit turn's outcome (a graceful one's latency is the fallback's activation latency).
    public mutating func count(_ outcome: PatternOutcome, latency: Duration?) {
        injected += 1
        switch outcome {
        case .graceful:
            graceful += 1
            if let latency { activation.record(latency) }
        case .absorbed: absorbed += 1
        case .wrong: wrong += 1
        case .silent: silent += 1
        case .errored: errored += 1
        }
    }
}
