import Foundation

// The sections of report.json, each a Codable value (see `Report`).
extension Report {
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
        /// How late users woke from their pauses: the generator's own lag (`RunMetrics.wakeLag`); nil
        /// when no user paused.
        public var wake: Percentiles?
        /// How long answers waited once loadgen had read them, before their turn ran again: the generator's
        /// own queue, left out of `ack` (`RunMetrics.answerWait`); nil when none was measured.
        public var answerWait: Percentiles?
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
}

extension Report.ScriptedCheck {
    /// Samples a figure of the generator's needs before it is judged: fewer say nothing about a p99.
    public static let wakeLagMinimumPauses: UInt64 = 1_000
    /// The p99 past which a run's latencies are loadgen's own queueing as much as the target's: of how
    /// late users woke from their pauses, or of how long answers waited once read.
    public static let wakeLagLimit = Duration.milliseconds(100)

    /// Whether loadgen kept its own schedule: with the process short of CPU, users wake late from their
    /// pauses and the answers it reads wait for their turns to run again, and every latency measured
    /// includes loadgen's wait for a core, so the run says so instead of reporting those numbers as the
    /// bot's. nil when too few users paused and too few answers came to judge.
    ///
    /// An answer's wait once read is left out of the ack, but not its wait unread in the socket before,
    /// which this check does not see: it is often as long as the wait once read (both are a loop's batch
    /// of jobs), but not always (at 100,000 users on 2 cores: acks of p99 710 ms, answers unread on up to
    /// 442 connections at once, and the wait once read at p99 6–7 ms; docs/performance-log.md, 2026-12-07).
    public static func generator(_ metrics: RunMetrics) -> Report.ScriptedCheck? {
        let limit = wakeLagLimit.inSeconds * 1000
        var figures: [String] = []
        var behind = false
        /// `describe` gets the p99, the max and the count.
        func judge(_ h: LatencyHistogram?, _ describe: (String, String, UInt64) -> String) {
            guard let h, h.count >= wakeLagMinimumPauses else { return }
            let p99 = h.milliseconds(atPercentile: 99)
            behind = behind || p99 > limit
            figures.append(describe(ConsoleSummary.fmt(p99), ConsoleSummary.fmt(h.maxMilliseconds), h.count))
        }
        judge(metrics.wakeLag) { "users woke p99 \($0) ms late from their pauses (max \($1) ms, \($2) pauses)" }
        judge(metrics.answerWait) { "answers waited p99 \($0) ms, once read, for their turn to go on (max \($1) ms, \($2) answers)" }
        guard !figures.isEmpty else { return nil }
        let said = figures.joined(separator: "; ")
        guard behind else { return .init(name: "generator", status: .pass, detail: "kept its schedule: \(said)") }
        return .init(name: "generator", status: .fail, detail: "fell behind its schedule: \(said); over \(ConsoleSummary.fmt(limit)) ms: "
            + "this process was short of CPU, so the latencies above include loadgen's own wait for a core (and, with the "
            + "embedded bot, the bot's): run fewer users, or give loadgen a machine of its own")
    }
}
