import LoadgenCore
import Testing

@Suite struct RunMetricsTests {
    @Test func mergingShardsEqualsRecordingOnce() {
        var random = SeededRandom(seed: 3)
        var whole = RunMetrics()
        var shards = [RunMetrics](repeating: RunMetrics(), count: 4)
        for i in 0..<10_000 {
            let micros = random.next() % 2_000_000 + 1
            let errorClass = ErrorClass.allCases[Int(random.next() % UInt64(ErrorClass.allCases.count))]
            whole.reply.record(microseconds: micros)
            whole.turns += 1
            whole.count(errorClass)
            whole.recordAnswerWait(.microseconds(micros / 100))
            shards[i % 4].reply.record(microseconds: micros)
            shards[i % 4].turns += 1
            shards[i % 4].count(errorClass)
            shards[i % 4].recordAnswerWait(.microseconds(micros / 100))
        }
        var merged = RunMetrics()
        for s in shards { merged.merge(s) }
        #expect(merged == whole)
        #expect(merged.reply.milliseconds(atPercentile: 99) == whole.reply.milliseconds(atPercentile: 99))
    }

    @Test func percentilesAreNeverBelowTheTruthAndWithinPrecision() {
        var h = LatencyHistogram()
        let values: [UInt64] = (1...1000).map { $0 * 1_000 }  // 1 ms … 1000 ms
        for v in values { h.record(microseconds: v) }
        for p in [50.0, 90.0, 95.0, 99.0] {
            let truth = Double(values[Int((Double(values.count) * p / 100).rounded(.up)) - 1]) / 1000
            let reported = h.milliseconds(atPercentile: p)
            #expect(reported >= truth)
            #expect(reported <= truth * 1.001 + 0.001)
        }
    }

    @Test func valuesAboveTheRangeAreClampedAndCounted() {
        var h = LatencyHistogram()
        h.record(.seconds(500))
        #expect(h.count == 1)
        #expect(h.clamped == 1)
        #expect(h.maxMilliseconds >= 119_000)
    }

    @Test func ackOverOneSecondFraction() {
        var h = LatencyHistogram()
        for _ in 0..<98 { h.record(.milliseconds(100)) }
        for _ in 0..<2 { h.record(.milliseconds(1500)) }
        #expect(abs(h.fraction(above: 1000) - 0.02) < 1e-9)
    }

    /// The generator check: nothing below 1,000 pauses, a pass with the figures, a failure past a p99 of
    /// 100 ms that says the latencies include loadgen's own wait; wake lags of shards add up.
    @Test func theGeneratorCheckJudgesTheWakeLagP99() throws {
        func metrics(_ pauses: Int, lateEvery: Int, late: Duration) -> RunMetrics {
            var m = RunMetrics()
            for i in 0..<pauses { m.recordWake(i % lateEvery == 0 ? late : .microseconds(500)) }
            return m
        }
        #expect(Report.ScriptedCheck.generator(RunMetrics()) == nil)
        #expect(Report.ScriptedCheck.generator(metrics(999, lateEvery: 1, late: .seconds(1))) == nil)
        let kept = try #require(Report.ScriptedCheck.generator(metrics(1_000, lateEvery: 200, late: .milliseconds(400))))
        #expect(kept.status == .pass)  // 5 of 1,000 late: the p99 is 0.5 ms
        #expect(kept.detail.hasPrefix("kept its schedule: users woke p99 0.5 ms late from their pauses (max 400."))
        let behind = try #require(Report.ScriptedCheck.generator(metrics(1_000, lateEvery: 50, late: .milliseconds(400))))
        #expect(behind.status == .fail)  // 20 of 1,000 late: the p99 is 400 ms
        #expect(behind.detail.contains("fell behind its schedule: users woke p99 400 ms late from their pauses"))
        #expect(behind.detail.contains("the latencies above include loadgen's own wait for a core"))
        var merged = metrics(600, lateEvery: 50, late: .milliseconds(400))
        merged.merge(metrics(400, lateEvery: 50, late: .milliseconds(400)))
        #expect(merged.wakeLag?.count == 1_000)
        #expect(Report.ScriptedCheck.generator(merged)?.status == .fail)
    }

    /// Answers that wait, once read, for their turns to go on are the generator falling behind too: judged
    /// like the wake lag (from 1,000 answers, at a p99 of 100 ms), beside it or alone (no think time).
    @Test func theGeneratorCheckJudgesHowLongAnswersWaited() throws {
        func metrics(_ answers: Int, slowEvery: Int, slow: Duration, pauses: Int = 0) -> RunMetrics {
            var m = RunMetrics()
            for i in 0..<answers { m.recordAnswerWait(i % slowEvery == 0 ? slow : .microseconds(20)) }
            for _ in 0..<pauses { m.recordWake(.microseconds(500)) }
            return m
        }
        #expect(Report.ScriptedCheck.generator(metrics(999, slowEvery: 1, slow: .seconds(1))) == nil)
        let kept = try #require(Report.ScriptedCheck.generator(metrics(1_000, slowEvery: 200, slow: .milliseconds(300))))
        #expect(kept.status == .pass)
        #expect(kept.detail.hasPrefix("kept its schedule: answers waited p99 0.02 ms, once read, for their turn to go on (max 300"))
        let behind = try #require(Report.ScriptedCheck.generator(metrics(1_000, slowEvery: 50, slow: .milliseconds(300), pauses: 1_000)))
        #expect(behind.status == .fail)  // the users woke in time; the answers waited 300 ms at the p99
        #expect(behind.detail.contains("users woke p99 0.5 ms late from their pauses"))
        #expect(behind.detail.contains("answers waited p99 300 ms, once read, for their turn to go on"))
    }

    /// An ack runs to when loadgen read the answer: the call's time less the answer's wait, never below zero.
    @Test func anAckLeavesOutTheAnswersWait() {
        #expect(AckSample(elapsed: .milliseconds(30), waited: .milliseconds(12)).latency == .milliseconds(18))
        #expect(AckSample(elapsed: .milliseconds(30), waited: nil).latency == .milliseconds(30))
        #expect(AckSample(elapsed: .milliseconds(3), waited: .milliseconds(5)).latency == .zero)
    }
}
