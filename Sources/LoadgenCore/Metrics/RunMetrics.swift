/// Everything measured in a run (or in one shard of it): latency histograms and counters.
///
/// A value type that merges exactly, so each shard records locally and the totals are the sum of the
/// shards. Counters live in fixed-size storage: recording never allocates.
public struct RunMetrics: Sendable, Codable, Equatable {
    /// POST sent → 200 received, for every acked turn.
    public var ack = LatencyHistogram()
    /// Intended send time → first matching Graph API send, for every replied turn.
    public var reply = LatencyHistogram()
    /// User messages sent (each webhook delivery of a new message).
    public var turns: UInt64 = 0
    /// Turns that were an error (not acked with 200, no reply, or a reply that failed its check).
    public var errorTurns: UInt64 = 0
    /// Replies that closed a turn.
    public var replies: UInt64 = 0
    /// Replies classified as fallback (the bot degraded instead of answering).
    public var fallbackReplies: UInt64 = 0
    /// Journeys started, and those whose every step passed.
    public var journeysStarted: UInt64 = 0
    public var journeysSucceeded: UInt64 = 0
    /// Journeys cut short by the end of the run (not counted in the success rate).
    public var journeysIncomplete: UInt64 = 0
    private var errorCounts = [UInt64](repeating: 0, count: ErrorClass.allCases.count)
    /// Per persona and step: turns, errors and reply latency.
    public var steps: [StepKey: StepStats] = [:]
    /// Open model: arrivals the schedule planned up to now, launched, dropped (too many in flight),
    /// and launched late (over 10 ms after their intended time).
    public var arrivalsPlanned: UInt64 = 0
    public var arrivalsLaunched: UInt64 = 0
    public var arrivalsDropped: UInt64 = 0
    public var arrivalsLate: UInt64 = 0
    /// Open model: intended arrival time → actual launch (how far behind the generator ran).
    public var launchLag = LatencyHistogram()
    /// Every user's pause (think time, a burst's back-off): when it was due to end → when the user woke,
    /// how far behind its own schedule the generator ran. Small on a machine with room; large when the
    /// process is short of CPU, and then every latency it measured includes its own wait. nil in reports
    /// written before it was measured.
    public var wakeLag: LatencyHistogram?
    /// Every answer the target gave: when loadgen had read it off the wire → when its turn ran again, the
    /// generator's own queue (left out of the ack latency). Microseconds on a machine with room; tens of
    /// milliseconds when the process is short of CPU. nil: none measured (a transport that cannot tell,
    /// or reports written before it was measured).
    public var answerWait: LatencyHistogram?
    /// Deliveries sent again after a non-200 ack (`--retries`), and duplicate deliveries (`--duplicates`).
    public var redeliveries: UInt64 = 0
    public var duplicatesSent: UInt64 = 0
    /// Rate-limit bursts (`network-issues:burst`): messages flooded, and those the bot refused.
    public var burstMessages: UInt64 = 0
    public var burstLimited: UInt64 = 0
    /// Deliveries that carried several messages (`--batch`).
    public var batchesSent: UInt64 = 0
    /// Bursts delivered out of order (`--reorder`).
    public var reordered: UInt64 = 0
    /// Chaos: per failure pattern, how the bot handled the turns it hit.
    public var patterns: [FailurePattern: PatternStats] = [:]
    /// Chaos: every turn split by the phase it started in (baseline, fault, recovery).
    public var phases: [FaultSchedule.Phase: PhaseStats] = [:]
    /// Chaos: for each fault (by its index in the plan), the earliest time after its window closed at
    /// which a turn passed without a fallback — the recovery point.
    public var recoveredAt: [Int: Duration] = [:]
    /// What the target said when it refused turns, a few distinct samples per error class (nil: none).
    public var errorSamples: ErrorSamples?

    /// Empty metrics.
    public init() {}

    /// Counts one error of `errorClass` (the turn is counted separately, once, in `errorTurns`).
    public mutating func count(_ errorClass: ErrorClass, _ n: UInt64 = 1) {
        padErrorCounts(to: errorClass.slot + 1)
        errorCounts[errorClass.slot] += n
    }

    /// Reports written before a class existed (`hub_lost`) have fewer counters: the missing ones are 0.
    private mutating func padErrorCounts(to count: Int) {
        if errorCounts.count < count { errorCounts += repeatElement(0, count: count - errorCounts.count) }
    }

    /// Counts `n` turns (user messages) of step `key`, in the totals and in the step's own row.
    public mutating func countTurns(_ n: UInt64 = 1, of key: StepKey) {
        turns += n
        steps[key, default: StepStats()].turns += n
    }

    /// Marks `n` already counted turns of step `key` as errors of `errorClass`, everywhere they show.
    public mutating func countErrors(_ n: UInt64 = 1, of key: StepKey, _ errorClass: ErrorClass) {
        errorTurns += n
        count(errorClass, n)
        steps[key, default: StepStats()].errors += n
    }

    /// Records how late a user woke from a pause.
    public mutating func recordWake(_ lag: Duration) {
        wakeLag.record(lag)
    }

    /// Records how long an answer waited on loadgen's side before its turn ran again.
    public mutating func recordAnswerWait(_ wait: Duration) {
        answerWait.record(wait)
    }

    /// Errors of one class.
    public func errors(_ errorClass: ErrorClass) -> UInt64 { errorClass.slot < errorCounts.count ? errorCounts[errorClass.slot] : 0 }

    /// Every class with its count (all classes, zeros included, so reports have stable keys).
    public var errorsByClass: [(ErrorClass, UInt64)] { ErrorClass.allCases.map { ($0, errors($0)) } }

    /// Adds another shard's metrics (exact).
    public mutating func merge(_ other: RunMetrics) {
        mergeHeadline(other)
        journeysStarted += other.journeysStarted
        journeysSucceeded += other.journeysSucceeded
        journeysIncomplete += other.journeysIncomplete
        for (key, stats) in other.steps { steps[key, default: StepStats()].merge(stats) }
        arrivalsPlanned += other.arrivalsPlanned
        arrivalsLaunched += other.arrivalsLaunched
        arrivalsDropped += other.arrivalsDropped
        arrivalsLate += other.arrivalsLate
        launchLag.add(other.launchLag)
        wakeLag.add(other.wakeLag)
        answerWait.add(other.answerWait)
        redeliveries += other.redeliveries
        duplicatesSent += other.duplicatesSent
        batchesSent += other.batchesSent
        reordered += other.reordered
        burstMessages += other.burstMessages
        burstLimited += other.burstLimited
        for (p, stats) in other.patterns { patterns[p, default: PatternStats()].merge(stats) }
        for (p, stats) in other.phases { phases[p, default: PhaseStats()].merge(stats) }
        for (i, at) in other.recoveredAt { recoveredAt[i] = min(recoveredAt[i] ?? at, at) }
        if let samples = other.errorSamples { errorSamples = errorSamples.map { var s = $0; s.merge(samples); return s } ?? samples }
    }

    /// Keeps what the target said when it refused a turn of `errorClass` (a few distinct per class).
    public mutating func noteError(_ errorClass: ErrorClass, said: String) {
        if errorSamples == nil { errorSamples = ErrorSamples() }
        errorSamples!.note(errorClass, said)
    }

    /// Adds only the headline figures of `other`: turns, errors by class, replies, fallbacks and the
    /// ack and reply histograms. Cheap enough to run every second for the timeline and live progress.
    public mutating func mergeHeadline(_ other: RunMetrics) {
        ack.add(other.ack)
        reply.add(other.reply)
        turns += other.turns
        errorTurns += other.errorTurns
        replies += other.replies
        fallbackReplies += other.fallbackReplies
        padErrorCounts(to: other.errorCounts.count)
        for (i, n) in other.errorCounts.enumerated() { errorCounts[i] += n }
    }

    /// The headline figures gained since `earlier` (an older snapshot of the same run's totals): what a
    /// stretch of the run measured, histograms exact.
    public func headline(since earlier: RunMetrics) -> RunMetrics {
        var span = RunMetrics()
        span.ack = ack.subtracting(earlier.ack)
        span.reply = reply.subtracting(earlier.reply)
        span.turns = turns - min(turns, earlier.turns)
        span.errorTurns = errorTurns - min(errorTurns, earlier.errorTurns)
        span.replies = replies - min(replies, earlier.replies)
        span.fallbackReplies = fallbackReplies - min(fallbackReplies, earlier.fallbackReplies)
        for i in errorCounts.indices { span.errorCounts[i] = errorCounts[i] - min(errorCounts[i], earlier.errors(at: i)) }
        return span
    }

    private func errors(at slot: Int) -> UInt64 { slot < errorCounts.count ? errorCounts[slot] : 0 }

    /// errorTurns / turns (0 when no turn ran).
    public var errorRate: Double { turns == 0 ? 0 : Double(errorTurns) / Double(turns) }
    /// fallbackReplies / replies.
    public var fallbackRate: Double { replies == 0 ? 0 : Double(fallbackReplies) / Double(replies) }
    /// Journeys whose every step passed / finished journeys (incomplete ones excluded).
    public var successRate: Double {
        let finished = journeysStarted - min(journeysStarted, journeysIncomplete)
        return finished == 0 ? 0 : Double(journeysSucceeded) / Double(finished)
    }
    /// 5xx acks / turns.
    public var http5xxRate: Double { turns == 0 ? 0 : Double(errors(.http5xx)) / Double(turns) }
}

/// Which step of which persona a measurement belongs to.
public struct StepKey: Sendable, Hashable, Codable, Comparable {
    public var persona: String
    /// `3 choose row 0`: the send's number in the persona's journey and what it sends.
    public var step: String
    public init(persona: String, step: String) {
        self.persona = persona
        self.step = step
    }
    public static func < (a: StepKey, b: StepKey) -> Bool {
        (a.persona, a.stepNumber, a.step) < (b.persona, b.stepNumber, b.step)
    }
    private var stepNumber: Int { Int(step.prefix { $0.isNumber }) ?? 0 }
}

/// Turns, errors and reply latency of one step.
public struct StepStats: Sendable, Codable, Equatable {
    public var turns: UInt64 = 0
    public var errors: UInt64 = 0
    public var reply = LatencyHistogram()
    /// Chaos runs: turns and errors of this step per phase (`baseline`, `fault`, `recovery`), so a report
    /// shows which step breaks while a fault is on.
    public var phaseTurns: [String: UInt64]? = nil
    public var phaseErrors: [String: UInt64]? = nil
    public init() {}

    /// Counts `turns` turns (`errors` of them errors) of this step in chaos phase `phase`.
    public mutating func count(phase: FaultSchedule.Phase, turns: UInt64, errors: UInt64) {
        phaseTurns = phaseTurns ?? [:]
        phaseTurns?[phase.rawValue, default: 0] += turns
        guard errors > 0 else { return }
        phaseErrors = phaseErrors ?? [:]
        phaseErrors?[phase.rawValue, default: 0] += errors
    }

    public mutating func merge(_ other: StepStats) {
        turns += other.turns
        errors += other.errors
        reply.add(other.reply)
        if let t = other.phaseTurns { phaseTurns = (phaseTurns ?? [:]).merging(t, uniquingKeysWith: +) }
        if let e = other.phaseErrors { phaseErrors = (phaseErrors ?? [:]).merging(e, uniquingKeysWith: +) }
    }
}
