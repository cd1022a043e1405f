/// How one failure pattern's hit turn went for the user.
public enum PatternOutcome: Sendable, Hashable {
    /// The pattern's fallback reply.
    case graceful
    /// The bot retried its way to the normal reply.
    case absorbed
    /// A reply, but not a graceful one (a raw error, the wrong fallback, a leaked exception).
    case wrong
    /// No reply within the reply timeout.
    case silent
    /// The webhook delivery itself failed.
    case errored
}

/// Everything that decides a turn (or a burst of messages judged as one): what came back over the wire
/// and what was expected of it.
public struct TurnEvidence: Sendable {
    /// What came of the reply.
    public enum Reply: Sendable {
        /// No reply awaited (`--replies none`, or a send with no `Expect.reply` after it).
        case notAwaited
        case timedOut
        /// No reply could reach loadgen any more (a shard lost its hub): neither a reply nor its absence.
        case unjudged
        /// The first reply, its latency from the intended send time, and (a burst) every answer.
        case replied(BotReply, latency: Duration, answers: [BotReply])

        /// The reply, when one came.
        public var reply: BotReply? {
            if case .replied(let reply, _, _) = self { return reply }
            return nil
        }
    }

    /// Why the delivery was not an ack (nil: acked with exactly 200).
    public var failure: ErrorClass?
    public var reply: Reply
    /// The step's own expectation.
    public var expected: CompiledMatcher
    /// The failure patterns whose faults hit the turn, and their graceful expectations.
    public var hit: [FailurePattern]
    public var graceful: [CompiledMatcher]
    /// Which replies count as fallbacks.
    public var fallback: FallbackClassifier

    public init(failure: ErrorClass?, reply: Reply, expected: CompiledMatcher, hit: [FailurePattern] = [], graceful: [CompiledMatcher] = [],
                fallback: FallbackClassifier = .easymo) {
        self.failure = failure
        self.reply = reply
        self.expected = expected
        self.hit = hit
        self.graceful = graceful
        self.fallback = fallback
    }

    /// The same, compiling the matchers (for tests and one-off judgements).
    public init(failure: ErrorClass?, reply: Reply, expected: ReplyMatcher, hit: [FailurePattern] = [], graceful: [ReplyMatcher] = [],
                fallback: FallbackClassifier = .easymo) {
        self.init(failure: failure, reply: reply, expected: CompiledMatcher(expected), hit: hit, graceful: graceful.map(CompiledMatcher.init),
                  fallback: fallback)
    }
}

/// The judgement of one turn: a pure function of its evidence, so every rule is tested by tables.
///
/// A turn is an error when its delivery failed, its reply did not come, or its reply failed the check —
/// which, when faults hit it, is the patterns' graceful expectation (any of them, on any answer of a
/// burst), with the step's own expectation counting as absorbed.
public struct TurnVerdict: Sendable, Hashable {
    /// The delivery was acked with 200 (its ack latency counts).
    public var acked: Bool
    /// Why the turn is an error (nil: it passed).
    public var error: ErrorClass?
    /// The reply's latency, when one came, and whether it was a fallback.
    public var latency: Duration?
    public var fallback: Bool
    /// Each hit pattern's outcome (empty: no fault hit it, or it was not judged).
    public var patterns: [FailurePattern: PatternOutcome]
    /// Whether the turn counts in the chaos phases (every judged turn: not one whose reply was not awaited).
    public var countsInPhases: Bool

    public var passed: Bool { error == nil }
    /// A fault hit the turn: the bot degraded on purpose, so the rest of the journey is not run.
    public var injected: Bool { !patterns.isEmpty }

    public init(acked: Bool, error: ErrorClass?, latency: Duration? = nil, fallback: Bool = false,
                patterns: [FailurePattern: PatternOutcome] = [:], countsInPhases: Bool = true) {
        self.acked = acked
        self.error = error
        self.latency = latency
        self.fallback = fallback
        self.patterns = patterns
        self.countsInPhases = countsInPhases
    }

    /// Judges `e`.
    public static func judge(_ e: TurnEvidence) -> TurnVerdict {
        func each(_ outcome: PatternOutcome) -> [FailurePattern: PatternOutcome] {
            Dictionary(e.hit.map { ($0, outcome) }) { first, _ in first }
        }
        if let failure = e.failure { return TurnVerdict(acked: false, error: failure, patterns: each(.errored)) }
        switch e.reply {
        case .notAwaited:
            return TurnVerdict(acked: true, error: nil, countsInPhases: false)
        case .timedOut:
            return TurnVerdict(acked: true, error: .noReply, patterns: each(.silent))
        case .unjudged:
            return TurnVerdict(acked: true, error: .hubLost)  // the bot is not blamed, nor are its patterns judged
        case .replied(let reply, let latency, let answers):
            let injected = !e.hit.isEmpty
            let graceful = injected ? (answers.isEmpty ? [reply] : answers).contains(where: CompiledMatcher(oneOf: e.graceful).matches)
                : e.expected.matches(reply)
            let absorbed = injected && !graceful && e.expected.matches(reply)
            return TurnVerdict(acked: true, error: graceful || absorbed ? nil : .badReply, latency: latency,
                               fallback: e.fallback.isFallback(reply),
                               patterns: each(graceful ? .graceful : absorbed ? .absorbed : .wrong))
        }
    }
}

/// Where in a chaos plan a turn started: its phase, and for each fault window already closed, how long
/// after it (a clean turn there is a recovery point).
public struct ChaosMoment: Sendable, Hashable {
    public var phase: FaultSchedule.Phase
    public var sinceClosed: [Int: Duration]

    /// The moment `elapsed` into a run of `chaos`.
    public init(_ chaos: ChaosPlan, at elapsed: Duration) {
        phase = chaos.phase(at: elapsed)
        sinceClosed = Dictionary(uniqueKeysWithValues: chaos.recoveryCandidates(at: elapsed).map { ($0.fault, $0.after) })
    }
}
