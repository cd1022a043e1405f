import LoadgenCore
import Testing

@Suite struct PrometheusTextTests {
    @Test func theExpositionCarriesCountersSummariesAndFaultWindows() {
        var totals = RunMetrics()
        let key = StepKey(persona: "buyer", step: "1 send text")
        totals.countTurns(10, of: key)
        totals.countErrors(2, of: key, .noReply)
        totals.replies = 8
        for ms in [2, 4, 6, 8, 10, 12, 14, 16] { totals.reply.record(.milliseconds(ms)) }
        var sampler = TimelineSampler(interval: .seconds(1))
        let point = sampler.sample(totals, at: .seconds(3), activeUsers: 5, faultsOpen: ["timeout"])
        let text = PrometheusText.render(Progress(elapsed: .milliseconds(3_250), duration: .seconds(60), activeUsers: 5, metrics: totals,
                                                  latest: point, interval: .seconds(1)),
                                         scenario: "say \"hi\"", faults: ["timeout", "no-results"])
        let lines = Set(text.split(separator: "\n").map(String.init))
        let s = #"scenario="say \"hi\"""#
        for expected in [
            "# TYPE loadgen_turns_total counter", "loadgen_turns_total{\(s)} 10", "loadgen_error_turns_total{\(s)} 2",
            "loadgen_errors_total{\(s),class=\"no_reply\"} 2", "loadgen_errors_total{\(s),class=\"timeout\"} 0",
            "# TYPE loadgen_reply_latency_seconds summary", "loadgen_reply_latency_seconds{\(s),quantile=\"0.5\"} 0.008003",  // HDR: the bucket's highest value
            "loadgen_reply_latency_seconds_count{\(s)} 8", "loadgen_ack_latency_seconds{\(s),quantile=\"0.99\"} NaN",
            "loadgen_active_users{\(s)} 5", "loadgen_elapsed_seconds{\(s)} 3.25",
            "loadgen_fault_window_open{\(s),pattern=\"timeout\"} 1", "loadgen_fault_window_open{\(s),pattern=\"no-results\"} 0",
        ] {
            #expect(lines.contains(expected), "\(expected)")
        }
        // Every sample line is `name{labels} value` with a value Prometheus parses.
        for line in lines where !line.hasPrefix("#") {
            let value = line.split(separator: " ").last.map(String.init) ?? ""
            #expect(value == "NaN" || Double(value) != nil, "\(line)")
        }
    }

    /// The histograms: cumulative buckets at the edges, `+Inf` and `_count` the count, `_sum` the HDR
    /// sum; the shard label when the process is a shard, none when it is not.
    @Test func latenciesAreHistogramsWithCumulativeBucketsAndTheShardLabel() throws {
        var totals = RunMetrics()
        for micros: UInt64 in [300, 1_000, 1_800, 7_000, 7_000, 420_000, 3_000_000] { totals.reply.record(microseconds: micros) }
        var sampler = TimelineSampler(interval: .seconds(1))
        let point = sampler.sample(totals, at: .seconds(1), activeUsers: 1, faultsOpen: [])
        let progress = Progress(elapsed: .seconds(1), duration: .seconds(5), activeUsers: 1, metrics: totals, latest: point, interval: .seconds(1))
        let text = PrometheusText.render(progress, scenario: "generic", shard: Shard("1/3"), faults: [])
        let reply = text.split(separator: "\n").filter { $0.hasPrefix("loadgen_reply_seconds") }.map(String.init)
        let l = #"scenario="generic",shard="1/3""#
        #expect(reply == [
            "loadgen_reply_seconds_bucket{\(l),le=\"0.001\"} 2", "loadgen_reply_seconds_bucket{\(l),le=\"0.0025\"} 3",
            "loadgen_reply_seconds_bucket{\(l),le=\"0.005\"} 3", "loadgen_reply_seconds_bucket{\(l),le=\"0.01\"} 5",
            "loadgen_reply_seconds_bucket{\(l),le=\"0.025\"} 5", "loadgen_reply_seconds_bucket{\(l),le=\"0.05\"} 5",
            "loadgen_reply_seconds_bucket{\(l),le=\"0.1\"} 5", "loadgen_reply_seconds_bucket{\(l),le=\"0.25\"} 5",
            "loadgen_reply_seconds_bucket{\(l),le=\"0.4\"} 5", "loadgen_reply_seconds_bucket{\(l),le=\"0.5\"} 6",
            "loadgen_reply_seconds_bucket{\(l),le=\"1\"} 6", "loadgen_reply_seconds_bucket{\(l),le=\"2\"} 6",
            "loadgen_reply_seconds_bucket{\(l),le=\"5\"} 7", "loadgen_reply_seconds_bucket{\(l),le=\"10\"} 7",
            "loadgen_reply_seconds_bucket{\(l),le=\"+Inf\"} 7",
            // 300 + 1,000 + 1,800 + 2 × 7,002 (7,000's HDR bucket is 7,000–7,003) + 419,968 (419,840–420,095)
            // + 2,999,296 (2,998,272–3,000,319): each bucket at its middle value, as the mean takes it.
            "loadgen_reply_seconds_sum{\(l)} 3.436368", "loadgen_reply_seconds_count{\(l)} 7",
        ])
        #expect(text.contains("loadgen_reply_latency_seconds_sum{\(l)} 3.436368\n"), "the summary's sum is the histogram's")
        #expect(text.contains("# TYPE loadgen_reply_seconds histogram\n") && text.contains("# TYPE loadgen_ack_seconds histogram\n"))
        #expect(text.contains("loadgen_ack_seconds_bucket{\(l),le=\"+Inf\"} 0\n"))
        #expect(text.contains("loadgen_turns_total{\(l)} 0\n"), "every series carries the shard")
        let single = PrometheusText.render(progress, scenario: "generic", faults: [])
        #expect(single.contains("loadgen_reply_seconds_count{scenario=\"generic\"} 7\n"), "no shard label outside a shard")
    }

    /// Every latency threshold of the presets is a bucket edge, and at an edge the bucket agrees with
    /// loadgen's own verdict, even for a value that shares its HDR bucket with the edge: the bucket's
    /// count is what `fraction(above:)` (ack.over1s) counts, and a percentile is at most the edge exactly
    /// when that percentage of the values is in the edge's bucket.
    @Test func thePresetsThresholdsAreEdgesWhereBucketsAndVerdictsAgree() {
        let latencyMetrics: Set<CriterionMetric> = [.replyP50, .replyP90, .replyP95, .replyP99, .ackP50, .ackP90, .ackP95, .ackP99]
        let thresholds = Set(CriteriaSet.presets.flatMap(\.criteria).filter { latencyMetrics.contains($0.metric) }.map { UInt64($0.threshold * 1000) })
        #expect(thresholds == [250_000, 400_000, 500_000, 1_000_000, 2_000_000])
        #expect(thresholds.isSubset(of: Set(PrometheusText.latencyBucketEdges)))
        #expect(PrometheusText.latencyBucketEdges == PrometheusText.latencyBucketEdges.sorted())

        for edge in thresholds {
            // 95 values well under the edge, 4 in the HDR bucket that holds the edge itself (its lower
            // end is below the edge: the bucket is not wholly at or below it), and one far above (in the
            // largest value's bucket a percentile is that value exactly, not its bucket's highest).
            var h = LatencyHistogram()
            for _ in 0..<95 { h.record(microseconds: edge / 2) }
            for _ in 0..<4 { h.record(microseconds: edge) }
            h.record(microseconds: edge * 3)
            let atEdge = h.counts(atOrBelow: [edge])[0]
            #expect(atEdge == 95, "\(edge)")
            #expect(h.fraction(above: Double(edge) / 1000) == 0.05, "\(edge)")
            #expect(h.milliseconds(atPercentile: 95) <= Double(edge) / 1000, "p95 at most the edge: 95 of 100 in its bucket")
            #expect(h.milliseconds(atPercentile: 96) > Double(edge) / 1000, "p96 above it: 95 of 100 are not 96 %")
        }
    }

    /// Buckets are a function of the HDR buckets alone: two histograms' counts and sums add up to
    /// those of their merge, at every edge.
    @Test func bucketCountsAndSumsOfShardsAddUpToTheMergedHistogram() {
        var a = LatencyHistogram(), b = LatencyHistogram()
        var seed: UInt64 = 7
        for i in 0..<5_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let micros = (seed >> 33) % 12_000_000  // 0–12 s, past the last edge too
            if i.isMultiple(of: 3) { a.record(microseconds: micros) } else { b.record(microseconds: micros) }
        }
        var merged = a
        merged.add(b)
        let edges = PrometheusText.latencyBucketEdges
        #expect(zip(a.counts(atOrBelow: edges), b.counts(atOrBelow: edges)).map { $0 + $1 } == merged.counts(atOrBelow: edges))
        #expect(a.sumMicroseconds + b.sumMicroseconds == merged.sumMicroseconds)
        #expect(abs(Double(merged.sumMicroseconds) / Double(merged.count) / 1000 - merged.meanMilliseconds) < 1e-6)
    }
}
