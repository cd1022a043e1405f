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
}
