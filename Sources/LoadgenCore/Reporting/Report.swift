import Foundation

/// report.json, schema version 1: the source of truth of a run. Other formats are rendered from it.
///
/// Keys are a contract (DESIGN.md "Interfaces"): extend freely, change only with a schema bump.
/// Latencies are milliseconds; rates are fractions (0.02 = 2 %).
public struct Report: Sendable, Codable, Equatable {
    public var schemaVersion = 1
    /// `pass`, `fail` or `rollback`.
    public var verdict: Verdict
    /// True when the run was stopped early (Ctrl-C); the numbers cover what ran.
    public var partial: Bool
    public var run: RunInfo
    public var totals: Totals
    public var latency: Latencies
    /// Every error class with its count (zeros included).
    public var errorsByClass: [String: UInt64]
    /// How the bot's Graph API sends matched the users' turns.
    public var replies: CorrelationCounters
    public var criteria: [CheckResult]
    /// Scripted checks run before the load (handshake, health).
    public var checks: [ScriptedCheck]
    /// Meta's at-least-once behaviour as played: duplicates, redeliveries, status callbacks.
    public var delivery: Delivery
    /// `loadgen smoke` only: environment, tagging, test numbers, rollout buckets, cap overrides (absent otherwise).
    public var smoke: SmokeReport? = nil

    public struct Delivery: Sendable, Codable, Equatable {
        public var duplicatesSent: UInt64
        public var redeliveries: UInt64
        public var batches: UInt64
        public var reordered: UInt64
        public var statusCallbacks: StatusCallbackCounts?
        /// Rate-limit bursts (`network-issues:burst`): messages flooded and those the bot refused (nil without).
        public var burstMessages: UInt64?
        public var burstLimited: UInt64?
    }

    public struct StatusCallbackCounts: Sendable, Codable, Equatable {
        public var sent: Int, failed: Int, dropped: Int
        public init(sent: Int, failed: Int, dropped: Int) {
            self.sent = sent
            self.failed = failed
            self.dropped = dropped
        }
    }

    /// Chaos runs: per failure pattern, how the bot handled the turns it hit (empty without chaos).
    public var patterns: [PatternReport]
    /// Chaos runs: turns, errors, fallbacks and reply latency per phase (baseline, fault, recovery).
    public var phases: [String: PhaseReport]

    public struct PatternReport: Sendable, Codable, Equatable {
        public var pattern: String
        public var injected: UInt64
        public var graceful: UInt64
        /// Hit, but the bot retried its way to the normal reply.
        public var absorbed: UInt64
        public var wrong: UInt64
        public var silent: UInt64
        public var errored: UInt64
        public var gracefulRate: Double
        /// Send → graceful reply (EasyMO targets p50 < 300 ms, p95 < 500 ms, p99 < 1 s).
        public var activation: Percentiles
        /// Seconds from the end of this pattern's fault window to the first clean turn (nil: no window, or not recovered).
        public var recoverySeconds: Double?
        /// Upstream calls hit that carried no `X-Correlation-ID`: counted, but not traceable to a turn, so
        /// not judged (nil when every hit was traced).
        public var untraced: UInt64?
    }

    public struct PhaseReport: Sendable, Codable, Equatable {
        public var turns: UInt64
        public var errors: UInt64
        public var errorRate: Double
        /// Errors by class in this phase (only classes that occurred).
        public var errorsByClass: [String: UInt64]?
        /// How long the run was in this phase, and its turns per second.
        public var seconds: Double?
        public var throughput: Double?
        public var fallbacks: UInt64
        public var ack: Percentiles
        public var reply: Percentiles
    }

    /// Open model only: how arrivals were launched (nil for the closed model).
    public var arrivals: Arrivals?
    /// Per persona: turns, errors and reply latency.
    public var personas: [Breakdown]
    /// Per persona and step (`3 choose row 0`): turns, errors and reply latency.
    public var steps: [Breakdown]
    /// The run interval by interval (nil in reports of loadgen before 0.2).
    public var timeline: Timeline?
    /// Chaos runs: when each fault of the plan was on, in plan order (empty without chaos).
    public var chaosWindows: [ChaosWindow]?
    /// Everything measured, histograms serialised exactly: what `loadgen merge` adds up and recomputes
    /// the report from (nil in reports of loadgen before 0.2).
    public var metrics: RunMetrics?

    /// One fault of the chaos plan: its pattern, hit rate and window (no start: the whole run; no end:
    /// until the end).
    public struct ChaosWindow: Sendable, Codable, Equatable {
        public var pattern: String
        public var rate: Double
        public var startSeconds: Double?
        public var endSeconds: Double?
        public var rampUpSeconds: Double?

        public init(_ fault: ChaosPlan.Fault) {
            pattern = fault.pattern.rawValue
            rate = fault.schedule.rate
            startSeconds = fault.schedule.window?.lowerBound.inSeconds
            // A window left open at the end (`@60s-`) has no end to show.
            endSeconds = fault.schedule.window.flatMap { $0.upperBound < Self.openEnd ? $0.upperBound.inSeconds : nil }
            rampUpSeconds = fault.schedule.rampUp > .zero ? fault.schedule.rampUp.inSeconds : nil
        }

        static let openEnd = Duration.seconds(86_400 * 365)

        /// The fault again (with the pattern's default shape and expectation), for recomputing a report.
        public var fault: ChaosPlan.Fault? {
            guard let p = FailurePattern(rawValue: pattern) else { return nil }
            let window = startSeconds.map { s in Duration.seconds(s) ..< max(.seconds(s), endSeconds.map { .seconds($0) } ?? Self.openEnd) }
            return ChaosPlan.Fault(pattern: p, schedule: FaultSchedule(rate: rate, window: window, rampUp: .seconds(rampUpSeconds ?? 0)))
        }
    }

    /// Open-model arrivals: planned by the schedule, launched, dropped (the in-flight cap was reached),
    /// late (launched over 10 ms after their intended time), and the launch lag.
    public struct Arrivals: Sendable, Codable, Equatable {
        public var planned: UInt64
        public var launched: UInt64
        public var dropped: UInt64
        public var late: UInt64
        public var lag: Percentiles
    }

    /// One row of the per-persona or per-step breakdown.
    public struct Breakdown: Sendable, Codable, Equatable {
        public var persona: String
        /// The step label; nil in the per-persona breakdown.
        public var step: String?
        public var turns: UInt64
        public var errors: UInt64
        public var errorRate: Double
        public var reply: Percentiles
        /// Chaos runs: turns and errors per phase (`baseline`, `fault`, `recovery`).
        public var phases: [String: PhaseCount]?

        public struct PhaseCount: Sendable, Codable, Equatable {
            public var turns: UInt64
            public var errors: UInt64
        }

        init(persona: String, step: String?, stats: StepStats) {
            self.persona = persona
            self.step = step
            turns = stats.turns
            errors = stats.errors
            errorRate = stats.turns == 0 ? 0 : Double(stats.errors) / Double(stats.turns)
            reply = Percentiles(stats.reply)
            phases = stats.phaseTurns.map { turns in
                Dictionary(uniqueKeysWithValues: turns.map { ($0.key, PhaseCount(turns: $0.value, errors: stats.phaseErrors?[$0.key] ?? 0)) })
            }
        }
    }

    /// What ran, against what.
    public struct RunInfo: Sendable, Codable, Equatable {
        /// How load was applied.
        public enum Model: String, Sendable, Hashable, Codable { case closed, open }

        public var scenario: String
        public var target: String
        /// True when the target was the embedded reference bot.
        public var embeddedBot: Bool
        public var concurrency: Int
        /// `closed` (users loop their journeys) or `open` (conversations arrive at a rate).
        public var model: Model
        /// Open model: the planned arrival rate, conversations per second (nil for closed).
        public var ratePerSecond: Double?
        public var durationSeconds: Double
        public var elapsedSeconds: Double
        public var thinkTimeSeconds: [Double]
        public var replyTimeoutSeconds: Double
        public var replies: ReplyMode
        public var seed: UInt64
        public var graphAPI: String
        public var business: BusinessIdentity
        public var criteria: [String]
        /// `I/N` when this report is one shard of a run split across processes (`--shard`).
        public var shard: String?
        /// The criteria as given (`staging`, `prod,reply.p99<800ms`…), so merged reports can be judged again.
        public var criteriaSpec: String?
        public var startedAt: String
        public var loadgenVersion: String

        public init(scenario: String, target: String, embeddedBot: Bool, concurrency: Int, model: Model, ratePerSecond: Double?, durationSeconds: Double, elapsedSeconds: Double, thinkTimeSeconds: [Double], replyTimeoutSeconds: Double, replies: ReplyMode, seed: UInt64, graphAPI: String, business: BusinessIdentity, criteria: [String], criteriaSpec: String? = nil, startedAt: String, loadgenVersion: String) {
            self.scenario = scenario
            self.target = target
            self.embeddedBot = embeddedBot
            self.concurrency = concurrency
            self.model = model
            self.ratePerSecond = ratePerSecond
            self.durationSeconds = durationSeconds
            self.elapsedSeconds = elapsedSeconds
            self.thinkTimeSeconds = thinkTimeSeconds
            self.replyTimeoutSeconds = replyTimeoutSeconds
            self.replies = replies
            self.seed = seed
            self.graphAPI = graphAPI
            self.business = business
            self.criteria = criteria
            self.criteriaSpec = criteriaSpec
            self.startedAt = startedAt
            self.loadgenVersion = loadgenVersion
        }
    }

    public struct Totals: Sendable, Codable, Equatable {
        public var turns: UInt64
        public var errors: UInt64
        public var errorRate: Double
        public var replies: UInt64
        public var fallbackReplies: UInt64
        public var fallbackRate: Double
        public var journeys: UInt64
        public var journeysSucceeded: UInt64
        public var journeysIncomplete: UInt64
        public var successRate: Double
        /// Turns per second over the elapsed time.
        public var throughput: Double
    }

    public struct Latencies: Sendable, Codable, Equatable {
        public var ack: Percentiles
        public var reply: Percentiles
        /// The HDR percentile distributions, `[percentile, ms]` pairs (see `LatencyHistogram.distribution`).
        public var distribution: Distribution?
    }

    public struct Distribution: Sendable, Codable, Equatable {
        public var ack: [[Double]]
        public var reply: [[Double]]
    }

    public struct Percentiles: Sendable, Codable, Equatable {
        public var count: UInt64
        public var p50: Double
        public var p90: Double
        public var p95: Double
        public var p99: Double
        public var max: Double
        public var mean: Double

        public init(_ h: LatencyHistogram) {
            count = h.count
            p50 = h.milliseconds(atPercentile: 50)
            p90 = h.milliseconds(atPercentile: 90)
            p95 = h.milliseconds(atPercentile: 95)
            p99 = h.milliseconds(atPercentile: 99)
            max = h.maxMilliseconds
            mean = (h.meanMilliseconds * 1000).rounded() / 1000
        }
    }

    /// A check run once, outside the load (verification handshake, health probe).
    public struct ScriptedCheck: Sendable, Codable, Equatable {
        public var name: String
        public var status: CheckStatus
        public var detail: String
        public init(name: String, status: CheckStatus, detail: String) {
            self.name = name
            self.status = status
            self.detail = detail
        }
    }

    /// Builds the report from a run's results and its evaluation.
    public init(run: RunInfo, metrics m: RunMetrics, correlation: CorrelationCounters, evaluation: Evaluation,
                checks: [ScriptedCheck], partial: Bool, chaos: ChaosPlan = ChaosPlan(), timeline: Timeline? = nil,
                untraced: [FailurePattern: UInt64] = [:]) {
        verdict = evaluation.verdict
        self.partial = partial
        self.run = run
        totals = Totals(
            turns: m.turns, errors: m.errorTurns, errorRate: m.errorRate, replies: m.replies,
            fallbackReplies: m.fallbackReplies, fallbackRate: m.fallbackRate, journeys: m.journeysStarted,
            journeysSucceeded: m.journeysSucceeded, journeysIncomplete: m.journeysIncomplete,
            successRate: m.successRate,
            throughput: run.elapsedSeconds > 0 ? (Double(m.turns) / run.elapsedSeconds * 100).rounded() / 100 : 0)
        latency = Latencies(ack: Percentiles(m.ack), reply: Percentiles(m.reply),
                            distribution: Distribution(ack: m.ack.distribution, reply: m.reply.distribution))
        errorsByClass = Dictionary(uniqueKeysWithValues: m.errorsByClass.map { ($0.0.rawValue, $0.1) })
        replies = correlation
        criteria = evaluation.checks
        self.checks = checks
        delivery = Delivery(duplicatesSent: m.duplicatesSent, redeliveries: m.redeliveries, batches: m.batchesSent,
                            reordered: m.reordered, statusCallbacks: nil, burstMessages: m.burstMessages > 0 ? m.burstMessages : nil,
                            burstLimited: m.burstMessages > 0 ? m.burstLimited : nil)
        arrivals = run.model == .open ? Arrivals(planned: m.arrivalsPlanned, launched: m.arrivalsLaunched,
                                                  dropped: m.arrivalsDropped, late: m.arrivalsLate, lag: Percentiles(m.launchLag)) : nil
        patterns = FailurePattern.allCases.compactMap { p in
            let stats = m.patterns[p] ?? PatternStats()
            guard stats.injected > 0 || untraced[p, default: 0] > 0 else { return nil }
            let recovery = chaos.faults.indices.filter { chaos.faults[$0].pattern == p }.compactMap { m.recoveredAt[$0] }.min()
            return PatternReport(pattern: p.rawValue, injected: stats.injected, graceful: stats.graceful, absorbed: stats.absorbed, wrong: stats.wrong,
                                 silent: stats.silent, errored: stats.errored, gracefulRate: stats.gracefulRate,
                                 activation: Percentiles(stats.activation),
                                 recoverySeconds: recovery.map(\.inSeconds), untraced: untraced[p].flatMap { $0 > 0 ? $0 : nil })
        }
        let phaseSeconds = chaos.phaseDurations(upTo: .nanoseconds(Int64(run.elapsedSeconds * 1e9)))
        phases = Dictionary(uniqueKeysWithValues: m.phases.map { phase, s in
            let seconds = phaseSeconds[phase]?.inSeconds
            return (phase.rawValue, PhaseReport(
                turns: s.turns, errors: s.errors, errorRate: s.turns == 0 ? 0 : Double(s.errors) / Double(s.turns),
                errorsByClass: s.errorsByClass, seconds: seconds.map { ($0 * 1000).rounded() / 1000 },
                throughput: seconds.flatMap { $0 > 0 ? (Double(s.turns) / $0 * 100).rounded() / 100 : nil },
                fallbacks: s.fallbacks, ack: Percentiles(s.ack), reply: Percentiles(s.reply)))
        })
        let keys = m.steps.keys.sorted()
        steps = keys.map { Breakdown(persona: $0.persona, step: $0.step, stats: m.steps[$0]!) }
        var byPersona: [String: StepStats] = [:]
        for key in keys { byPersona[key.persona, default: StepStats()].merge(m.steps[key]!) }
        personas = byPersona.keys.sorted().map { Breakdown(persona: $0, step: nil, stats: byPersona[$0]!) }
        self.timeline = timeline
        chaosWindows = chaos.faults.map(ChaosWindow.init)
        metrics = m
    }

    /// The chaos plan the report was run with, as far as the report records it (patterns, rates, windows).
    public var chaosPlan: ChaosPlan { ChaosPlan(faults: (chaosWindows ?? []).compactMap(\.fault)) }

    /// The JSON bytes: pretty, keys sorted, so diffs between runs are readable.
    public func jsonBytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
