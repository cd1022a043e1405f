import Foundation
import LoadgenCore
import Testing

@Suite struct HistogramSerialisationTests {
    @Test func aHistogramSurvivesJSONExactly() throws {
        var h = LatencyHistogram()
        for v in ReportFixtures.latencies(5000, medianMs: 40, seed: 7) { h.record(microseconds: v) }
        h.record(.seconds(300))  // clamped
        let back = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(h))
        #expect(back == h)
        #expect(back.clamped == 1)
        for p in [50.0, 95, 99, 99.9] { #expect(back.milliseconds(atPercentile: p) == h.milliseconds(atPercentile: p)) }
    }

    @Test func corruptBucketsAreRejected() {
        let odd = Data(#"{"clamped":0,"buckets":[1000,2,3]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LatencyHistogram.self, from: odd) }
    }

    @Test func subtractingAnEarlierCopyLeavesWhatCameInBetween() {
        let values = ReportFixtures.latencies(2000, medianMs: 5, seed: 1)
        var h = LatencyHistogram()
        for v in values[..<1200] { h.record(microseconds: v) }
        let earlier = h
        var between = LatencyHistogram()
        for v in values[1200...] {
            h.record(microseconds: v)
            between.record(microseconds: v)
        }
        #expect(h.subtracting(earlier) == between)
    }

    @Test func theDistributionRisesToTheMaximum() {
        var h = LatencyHistogram()
        for v in ReportFixtures.latencies(10_000, medianMs: 5, seed: 2) { h.record(microseconds: v) }
        let d = h.distribution
        #expect(d.first?[0] == 0)
        #expect(d.last == [100, h.maxMilliseconds])
        #expect(d.map { $0[0] } == d.map { $0[0] }.sorted())
        #expect(d.map { $0[1] } == d.map { $0[1] }.sorted())
        #expect(d.contains { $0[0] == 50 && $0[1] == h.milliseconds(atPercentile: 50) })
        #expect(d.count > 12)  // 10,000 values resolve ticks past 99.9 %
    }
}

@Suite struct TimelineTests {
    @Test func eachPointHoldsItsOwnInterval() {
        var sampler = TimelineSampler(interval: .seconds(1))
        var totals = RunMetrics()
        let key = StepKey(persona: "p", step: "1 send text")
        totals.countTurns(10, of: key)
        for _ in 0..<10 { totals.reply.record(.milliseconds(5)) }
        sampler.sample(totals, at: .seconds(1), activeUsers: 10, faultsOpen: [])
        totals.countTurns(4, of: key)
        totals.countErrors(2, of: key, .timeout)
        for _ in 0..<2 { totals.reply.record(.milliseconds(900)) }
        let second = sampler.sample(totals, at: .seconds(2), activeUsers: 8, faultsOpen: ["timeout"])
        #expect(second.turns == 4)
        #expect(second.errors == 2)
        #expect(second.errorsByClass == ["timeout": 2])
        #expect(second.reply.count == 2)
        #expect(second.reply.p50 >= 900 && second.reply.p50 < 901)  // the stall shows where it happened
        #expect(second.faultsOpen == ["timeout"])
        let first = sampler.timeline.points[0]
        #expect(first.turns == 10 && first.reply.count == 10 && first.reply.p99 < 5.01 && first.errorsByClass.isEmpty)
    }

    @Test func shardsSideBySideAddUp() {
        func point(_ t: Double, turns: UInt64, p95: Double) -> Timeline.Point {
            var w = Timeline.Window(LatencyHistogram())
            w.count = turns
            w.p95 = p95
            return .init(t: t, activeUsers: 5, turns: turns, errors: 0, replies: turns, fallbacks: 0, errorsByClass: [:],
                         ack: w, reply: w, faultsOpen: [])
        }
        var a = Timeline(intervalSeconds: 1, points: [point(1, turns: 3, p95: 4), point(2, turns: 5, p95: 6)])
        a.merge(Timeline(intervalSeconds: 1, points: [point(1, turns: 2, p95: 9), point(3, turns: 1, p95: 1)]))
        #expect(a.points.map(\.t) == [1, 2, 3])
        #expect(a.points.map(\.turns) == [5, 5, 1])
        #expect(a.points[0].activeUsers == 10)
        #expect(a.points[0].reply.p95 == 9)  // an upper bound
    }
}

@Suite struct MergeTests {
    /// Two shard reports, written and read back as JSON, merge into exactly the counts of the single
    /// run that saw every measurement, with percentiles within HDR precision of the exact values.
    @Test func twoShardsMergeIntoTheSingleRun() throws {
        let all = ReportFixtures.latencies(20_000, medianMs: 30, seed: 11)
        let single = ReportFixtures.report(ReportFixtures.metrics(replies: all, errors: 50), users: 20)
        let a = try ReportFixtures.roundTrip(ReportFixtures.report(ReportFixtures.metrics(replies: Array(all[..<7000]), errors: 0)))
        let b = try ReportFixtures.roundTrip(ReportFixtures.report(ReportFixtures.metrics(replies: Array(all[7000...]), errors: 50)))
        let merged = try ReportMerge.merge([("a", a), ("b", b)])
        #expect(merged.metrics == single.metrics)
        #expect(merged.totals == single.totals)
        #expect(merged.errorsByClass == single.errorsByClass)
        #expect(merged.latency == single.latency)
        #expect(merged.steps == single.steps)
        #expect(merged.run.concurrency == 20)
        let sorted = all.sorted()
        for (p, reported) in [(50.0, merged.latency.reply.p50), (95, merged.latency.reply.p95), (99, merged.latency.reply.p99)] {
            let truth = Double(sorted[Int((Double(sorted.count) * p / 100).rounded(.up)) - 1]) / 1000
            #expect(reported >= truth && reported <= truth * 1.001 + 0.001, "p\(p): \(reported) vs exact \(truth)")
        }
    }

    @Test func criteriaAreJudgedAgainOnTheMergedData() throws {
        // Shard b alone fails staging (3 % errors); the whole run has 1.5 % and passes.
        let fast = ReportFixtures.latencies(970, medianMs: 5, seed: 3)
        let a = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(1000, medianMs: 5, seed: 4)))
        let b = ReportFixtures.report(ReportFixtures.metrics(replies: fast, errors: 30))
        #expect(b.verdict == .fail)
        let merged = try ReportMerge.merge([("a", a), ("b", b)])
        #expect(merged.totals.errorRate == 0.015)
        #expect(merged.verdict == .pass)
        #expect(merged.criteria.first { $0.name == "errorRate" }?.actual == 0.015)
    }

    @Test func aFailedCheckInAnyShardFailsTheMergedRun() throws {
        let m = ReportFixtures.metrics(replies: ReportFixtures.latencies(200, medianMs: 5, seed: 5))
        let ok = ReportFixtures.report(m, checks: [.init(name: "health", status: .pass, detail: "ok")])
        let bad = ReportFixtures.report(m, checks: [.init(name: "health", status: .fail, detail: "HTTP 503")])
        let merged = try ReportMerge.merge([("ok", ok), ("bad", bad)])
        #expect(merged.checks == [.init(name: "health", status: .fail, detail: "HTTP 503")])
        #expect(merged.verdict == .fail)
    }

    /// A shard whose report is not in the merge (its pod died before writing it, or it was left off the
    /// command line): the merged run fails and names it, rather than passing on two thirds of the load.
    @Test func aMissingShardFailsTheMergedRunAndIsNamed() throws {
        let shards = (0..<3).map { i in
            var r = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(300, medianMs: 5, seed: UInt64(20 + i))))
            r.run.shard = "\(i)/3"
            return (name: "shard-\(i)", report: r)
        }
        #expect(shards.allSatisfy { $0.report.verdict == .pass })
        let whole = try ReportMerge.merge(shards)
        #expect(whole.checks == [.init(name: "shards", status: .pass, detail: "all 3 shards merged")])
        #expect(whole.verdict == .pass)

        let part = try ReportMerge.merge([shards[0], shards[2]])
        #expect(part.checks == [.init(name: "shards", status: .fail, detail: "2 of 3 shards merged, missing 1/3: the merged counts cover only "
                                        + "the users of the shards merged, not the whole run's")])
        #expect(part.verdict == .fail)
        #expect(part.criteria.contains { $0.name == "checks.failed" && !$0.passed })

        var other = shards[1]
        other.report.run.shard = "1/2"
        #expect(throws: MergeError.differentSplits("shard-0", "0/3", "shard-1", "1/2")) { try ReportMerge.merge([shards[0], other]) }
    }

    @Test func reportsThatCannotBeMergedSaySo() {
        var old = ReportFixtures.report(RunMetrics())
        old.metrics = nil
        #expect(throws: MergeError.noHistograms("old.json")) { try ReportMerge.merge([("new", ReportFixtures.report(RunMetrics())), ("old.json", old)]) }
        let other = ReportFixtures.report(RunMetrics(), scenario: "nine-patterns")
        #expect(throws: MergeError.differentScenarios(first: "generic", "b", "nine-patterns")) {
            try ReportMerge.merge([("a", ReportFixtures.report(RunMetrics())), ("b", other)])
        }
    }
}

@Suite struct CompareTests {
    /// Every latency 30 % slower: compare flags the p95.
    @Test func aThirtyPercentSlowdownIsARegression() throws {
        let base = ReportFixtures.latencies(3000, medianMs: 40, seed: 21)
        let slower = ReportFixtures.latencies(3000, medianMs: 40, seed: 22).map { $0 * 13 / 10 }
        let c = ReportComparison(baseline: try ReportFixtures.roundTrip(ReportFixtures.report(ReportFixtures.metrics(replies: base))),
                                 current: ReportFixtures.report(ReportFixtures.metrics(replies: slower)))
        #expect(c.regressed)
        #expect(c.regressions.map(\.metric).contains("reply p95"))
        #expect(c.regressions.map(\.metric).contains("buyer reply p95"))  // and the journey that got slower, by name
        #expect(c.markdown(baselineName: "base", currentName: "cur").hasPrefix("## ❌ REGRESSION — reply p50, reply p95"))
    }

    /// The same distribution sampled twice (different seeds): differences are noise, not regressions.
    @Test func samplingNoiseIsNotARegression() {
        for seed in UInt64(30)..<40 {
            let a = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(400, medianMs: 40, seed: seed)))
            let b = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(400, medianMs: 40, seed: seed + 100)))
            let c = ReportComparison(baseline: a, current: b)
            #expect(!c.regressed, "seed \(seed): \(c.regressions.map(\.metric))")
        }
    }

    @Test func smallSamplesAreNotJudged() {
        let a = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(50, medianMs: 5, seed: 1)))
        let b = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(50, medianMs: 50, seed: 2)))
        let c = ReportComparison(baseline: a, current: b)
        #expect(!c.regressed)
        #expect(c.rows.first { $0.metric == "reply p95" }?.status == .tooFewSamples)
    }

    @Test func moreErrorsThanNoiseAllowsIsARegression() {
        let lat = ReportFixtures.latencies(2000, medianMs: 5, seed: 1)
        let a = ReportFixtures.report(ReportFixtures.metrics(replies: lat, errors: 10))  // 0.5 %
        let worse = ReportFixtures.report(ReportFixtures.metrics(replies: lat, errors: 60))  // 2.9 %
        let same = ReportFixtures.report(ReportFixtures.metrics(replies: lat, errors: 14))  // 0.7 %
        #expect(ReportComparison(baseline: a, current: worse).regressions.map(\.metric) == ["error rate", "journey success rate", "buyer error rate"])
        #expect(!ReportComparison(baseline: a, current: same).regressed)
    }

    @Test func runsOfDifferentShapesAreComparedWithACaveat() {
        let lat = ReportFixtures.latencies(500, medianMs: 5, seed: 1)
        let c = ReportComparison(baseline: ReportFixtures.report(ReportFixtures.metrics(replies: lat), users: 10),
                                 current: ReportFixtures.report(ReportFixtures.metrics(replies: lat), scenario: "other", users: 20))
        #expect(c.caveats == ["different scenarios: generic and other", "different load: 10 users and 20 users"])
        #expect(c.markdown(baselineName: "a", currentName: "b").contains("\n⚠️ different scenarios: generic and other\n"))
        #expect(!c.rows.contains { $0.metric == "throughput" })
    }

    @Test func aFasterRunIsAnImprovement() {
        let a = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(3000, medianMs: 40, seed: 1)))
        let b = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(3000, medianMs: 20, seed: 2)))
        let c = ReportComparison(baseline: a, current: b)
        #expect(!c.regressed)
        #expect(c.rows.first { $0.metric == "reply p95" }?.status == .improved)
    }
}
