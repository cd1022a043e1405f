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
            shards[i % 4].reply.record(microseconds: micros)
            shards[i % 4].turns += 1
            shards[i % 4].count(errorClass)
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
}
