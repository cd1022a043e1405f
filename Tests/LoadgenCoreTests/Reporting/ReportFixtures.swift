import Foundation
import LoadgenCore

/// Reports built from synthetic, seeded measurements, for the report-format tests.
enum ReportFixtures {
    /// Log-normal-ish latencies around `medianMs` (a fast body and a long tail), in microseconds.
    static func latencies(_ n: Int, medianMs: Double, seed: UInt64) -> [UInt64] {
        var random = SeededRandom(seed: seed)
        return (0..<n).map { _ in
            // Sum of three uniforms ≈ normal; exp of it is log-normal.
            let u = (0..<3).map { _ in random.nextFraction() }.reduce(0, +) - 1.5
            return UInt64(medianMs * 1000 * exp(u * 0.8))
        }
    }

    /// Metrics of `turns` turns with the given reply latencies (µs) and `errors` no-reply errors.
    static func metrics(replies: [UInt64], errors: Int = 0, persona: String = "buyer") -> RunMetrics {
        var m = RunMetrics()
        let key = StepKey(persona: persona, step: "1 send text")
        m.countTurns(UInt64(replies.count + errors), of: key)
        if errors > 0 { m.countErrors(UInt64(errors), of: key, .noReply) }
        for v in replies {
            m.reply.record(microseconds: v)
            m.ack.record(microseconds: v / 3)
            m.steps[key, default: StepStats()].reply.record(microseconds: v)
        }
        m.replies = UInt64(replies.count)
        m.journeysStarted = UInt64(replies.count + errors)
        m.journeysSucceeded = UInt64(replies.count)
        return m
    }

    static func report(_ m: RunMetrics, scenario: String = "generic", criteria: String = "staging", users: Int = 10,
                       chaos: ChaosPlan = ChaosPlan(), checks: [Report.ScriptedCheck] = [], timeline: Timeline? = nil) -> Report {
        let sets = try! CriteriaSet.parse(criteria)
        let info = Report.RunInfo(
            scenario: scenario, target: "http://127.0.0.1:8080/webhook", embeddedBot: true, concurrency: users, model: .closed,
            ratePerSecond: nil, durationSeconds: 60, elapsedSeconds: 60, thinkTimeSeconds: [0, 0], replyTimeoutSeconds: 10,
            replies: .any, seed: 1, graphAPI: "http://127.0.0.1:4100", business: .default, criteria: sets.map(\.name),
            criteriaSpec: criteria, startedAt: "2026-11-22T05:00:00Z", loadgenVersion: "test")
        let observations = Observations(metrics: m, repliesMeasured: true, checksFailed: checks.filter { $0.status == .fail }.count,
                                        correlation: CorrelationCounters())
        return Report(run: info, metrics: m, correlation: CorrelationCounters(), evaluation: evaluate(sets, against: observations),
                      checks: checks, partial: false, chaos: chaos, timeline: timeline)
    }

    static func pattern(injected: UInt64, graceful: UInt64, silent: UInt64 = 0) -> PatternStats {
        var s = PatternStats()
        s.injected = injected
        s.graceful = graceful
        s.silent = silent
        return s
    }

    /// The report through its JSON bytes and back, as `compare` and `merge` read it.
    static func roundTrip(_ r: Report) throws -> Report {
        try JSONDecoder().decode(Report.self, from: r.jsonBytes())
    }
}
