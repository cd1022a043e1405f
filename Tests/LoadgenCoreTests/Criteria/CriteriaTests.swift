import LoadgenCore
import Testing

@Suite struct CriteriaTests {
    /// Metrics with `turns` turns, `errors` of them failed, and every reply taking `replyMs`.
    private func metrics(turns: Int, errors: Int, replyMs: UInt64, ackMs: UInt64 = 5, fallback: Int = 0) -> RunMetrics {
        var m = RunMetrics()
        m.turns = UInt64(turns)
        m.errorTurns = UInt64(errors)
        for _ in 0..<errors { m.count(.http5xx) }
        for _ in 0..<(turns - errors) {
            m.reply.record(microseconds: replyMs * 1000)
            m.ack.record(microseconds: ackMs * 1000)
        }
        m.replies = UInt64(turns - errors)
        m.fallbackReplies = UInt64(fallback)
        m.journeysStarted = UInt64(turns)
        m.journeysSucceeded = UInt64(turns - errors)
        return m
    }

    private func verdict(_ preset: String, _ m: RunMetrics, health: Bool? = true) throws -> Verdict {
        evaluate(try CriteriaSet.parse(preset), against: Observations(metrics: m, repliesMeasured: true, healthOK: health)).verdict
    }

    @Test(arguments: [
        // errors of 1000, reply ms, staging verdict
        (0, UInt64(100), Verdict.pass), (19, 499, .pass), (20, 100, .fail), (0, 500, .fail), (0, 499, .pass),
    ])
    func staging(errors: Int, replyMs: UInt64, expected: Verdict) throws {
        #expect(try verdict("staging", metrics(turns: 1000, errors: errors, replyMs: replyMs)) == expected)
    }

    @Test(arguments: [
        (0, UInt64(900), 0, true, Verdict.pass), (9, 900, 0, true, .pass), (10, 900, 0, true, .fail),
        (0, 1000, 0, true, .fail), (0, 900, 100, true, .fail), (0, 900, 99, true, .pass), (0, 900, 0, false, .fail),
    ])
    func prod(errors: Int, replyMs: UInt64, fallback: Int, healthy: Bool, expected: Verdict) throws {
        #expect(try verdict("prod", metrics(turns: 1000, errors: errors, replyMs: replyMs, fallback: fallback), health: healthy) == expected)
    }

    @Test(arguments: [(0, UInt64(399), Verdict.pass), (0, 400, .fail), (5, 100, .fail), (4, 100, .pass)])
    func promote(errors: Int, replyMs: UInt64, expected: Verdict) throws {
        #expect(try verdict("promote", metrics(turns: 1000, errors: errors, replyMs: replyMs)) == expected)
    }

    @Test(arguments: [(50, UInt64(100), 0, Verdict.pass), (51, 100, 0, .rollback), (0, 2001, 0, .rollback), (0, 100, 301, .rollback)])
    func rollbackTripwires(errors: Int, replyMs: UInt64, fallback: Int, expected: Verdict) throws {
        #expect(try verdict("rollback", metrics(turns: 1000, errors: errors, replyMs: replyMs, fallback: fallback)) == expected)
    }

    @Test(arguments: [(UInt64(250), Verdict.pass), (251, .fail), (1001, .fail)])
    func metaWebhook(ackMs: UInt64, expected: Verdict) throws {
        #expect(try verdict("meta-webhook", metrics(turns: 100, errors: 0, replyMs: 10, ackMs: ackMs)) == expected)
    }

    @Test func everyCheckListsThresholdAndActual() throws {
        let e = evaluate(try CriteriaSet.parse("staging"), against: Observations(metrics: metrics(turns: 100, errors: 3, replyMs: 20), repliesMeasured: true))
        #expect(e.checks.map(\.name) == ["errorRate", "reply.p95", "checks.failed", "arrivals.dropped"])
        #expect(e.checks[3].status == .skipped && e.checks[3].note == "no arrivals: a closed-model run")
        #expect(e.checks[0].threshold == "< 2 %")
        #expect(e.checks[0].actual == 0.03)
        #expect(e.checks[0].passed == false)
        #expect(e.checks[1].threshold == "< 500 ms")
    }

    @Test func replyCriteriaAreSkippedWithoutReplies() throws {
        let e = evaluate(try CriteriaSet.parse("staging"), against: Observations(metrics: metrics(turns: 10, errors: 0, replyMs: 1), repliesMeasured: false))
        #expect(e.verdict == .pass)
        #expect(e.checks[1].status == .skipped)
    }

    @Test func customThresholds() throws {
        let sets = try CriteriaSet.parse("staging,reply.p99<800ms,errorRate<1%,successRate>=0.99,reply.max<2s")
        #expect(sets.map(\.name) == ["staging", "custom"])
        #expect(sets[1].criteria == [
            Criterion(.replyP99, .lessThan, 800), Criterion(.errorRate, .lessThan, 0.01),
            Criterion(.successRate, .atLeast, 0.99), Criterion(.replyMax, .lessThan, 2000),
        ])
    }

    @Test func parseErrorsSayWhatIsWrong() {
        #expect(throws: CriteriaError.unknownPreset("stagin", known: CriteriaSet.presetNames)) { try CriteriaSet.parse("stagin") }
        #expect(throws: CriteriaError.badThreshold("reply.p95<fast")) { try CriteriaSet.parse("reply.p95<fast") }
        #expect(throws: CriteriaError.empty) { try CriteriaSet.parse("staging,") }
        #expect(CriteriaError.unknownPreset("x", known: ["staging", "prod"]).description
            == "unknown criteria preset 'x' (presets: staging, prod; or a threshold like reply.p95<500ms)")
    }

    /// `chaos.*[PATTERN]`: one pattern's figure instead of the worst over all of them (the timeout
    /// pattern's fallback takes seconds by design; the others must be fast).
    @Test func chaosCriteriaCanNameOnePattern() throws {
        let sets = try CriteriaSet.parse("chaos.activation.p95<500ms,chaos.activation.p95[timeout]<5s,chaos.gracefulRate[no-results]>=99%")
        #expect(sets.first?.criteria.map(\.text) == ["chaos.activation.p95 < 500 ms", "chaos.activation.p95[timeout] < 5000 ms",
                                                    "chaos.gracefulRate[no-results] >= 99 %"])
        var m = RunMetrics()
        var timeout = PatternStats()
        timeout.injected = 10
        timeout.graceful = 10
        for _ in 0..<10 { timeout.activation.record(.seconds(2)) }
        var noResults = PatternStats()
        noResults.injected = 10
        noResults.graceful = 9
        noResults.wrong = 1
        for _ in 0..<9 { noResults.activation.record(.milliseconds(3)) }
        m.patterns = [.timeout: timeout, .noResults: noResults]
        let e = evaluate(sets, against: Observations(metrics: m, repliesMeasured: true))
        // The pattern no criterion named (timeout) is held to the default 99 % graceful, beside the given ones
        // (and the scripted checks to passing, as every run is).
        #expect(e.checks.map(\.name) == ["chaos.activation.p95", "chaos.activation.p95[timeout]", "chaos.gracefulRate[no-results]",
                                         "chaos.gracefulRate[timeout]", "checks.failed"])
        #expect(e.checks.map(\.preset) == ["custom", "custom", "custom", "patterns", "checks"])
        #expect(e.checks.map(\.passed) == [false, true, false, true, true])  // the global p95 is timeout's 2 s; no-results is 90 % graceful
        #expect(e.checks[2].actual == 0.9)
        #expect(throws: CriteriaError.unknownPattern("slow", "chaos.activation.p95[slow]<5s")) {
            try CriteriaSet.parse("chaos.activation.p95[slow]<5s")
        }
        #expect(throws: CriteriaError.notPerPattern("reply.p95[timeout]<5s")) { try CriteriaSet.parse("reply.p95[timeout]<5s") }
    }
}
