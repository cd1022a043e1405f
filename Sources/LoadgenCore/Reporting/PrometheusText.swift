/// Live metrics in the Prometheus text exposition format (version 0.0.4), for Grafana during a run
/// (`--metrics-listen`). Counters are the run's totals so far; latencies are histograms with fixed
/// buckets (`loadgen_ack_seconds`, `loadgen_reply_seconds`), which add up across shards, and the
/// older summaries (quantiles of this process only), all from the HDR histograms, in seconds.
/// A shard's series carry `shard="I/N"`; a single process's carry no shard label.
public enum PrometheusText {
    /// The histograms' bucket edges in microseconds: latency SLOs from 1 ms to 10 s, with every latency
    /// threshold of the criteria presets (250 ms, 400 ms, 500 ms, 1 s, 2 s) an edge, so
    /// `histogram_quantile` and SLO ratios at those thresholds say what loadgen's own verdict says.
    public static let latencyBucketEdges: [UInt64] = [
        1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 400_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
    ]

    /// The exposition of `progress` for `scenario` (and `shard`, when this process is one); `faults` are
    /// the chaos plan's patterns (each gets a `loadgen_fault_window_open` gauge, 1 while its window is open).
    public static func render(_ p: Progress, scenario: String, shard: Shard? = nil, faults: [String]) -> String {
        let m = p.metrics
        let base = "scenario=\"\(escape(scenario))\"" + (shard.map { ",shard=\"\($0)\"" } ?? "")
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for s in samples { out += "\(name){\(base)\(s.labels.isEmpty ? "" : "," + s.labels)} \(s.value)\n" }
        }
        metric("loadgen_turns_total", "counter", "User messages sent (webhook deliveries of new messages).", [("", String(m.turns))])
        metric("loadgen_error_turns_total", "counter", "Turns that were an error.", [("", String(m.errorTurns))])
        metric("loadgen_errors_total", "counter", "Errors by class.",
               m.errorsByClass.map { ("class=\"\($0.0.rawValue)\"", String($0.1)) })
        metric("loadgen_replies_total", "counter", "Bot replies that closed a turn.", [("", String(m.replies))])
        metric("loadgen_fallback_replies_total", "counter", "Replies classified as fallbacks.", [("", String(m.fallbackReplies))])
        for (name, help, h) in [("loadgen_ack_latency_seconds", "Webhook POST sent to 200 received.", m.ack),
                                ("loadgen_reply_latency_seconds", "Message send time to the bot's first matching Graph API send.", m.reply)] {
            out += "# HELP \(name) \(help)\n# TYPE \(name) summary\n"
            for q in [0.5, 0.9, 0.95, 0.99] {
                out += "\(name){\(base),quantile=\"\(q)\"} \(h.count > 0 ? seconds(h.milliseconds(atPercentile: q * 100)) : "NaN")\n"
            }
            out += "\(name)_sum{\(base)} \(seconds(microseconds: h.sumMicroseconds))\n"  // the histograms' sum, exact
            out += "\(name)_count{\(base)} \(h.count)\n"
        }
        out += histogram("loadgen_ack_seconds", "Webhook POST sent to 200 received; buckets add up across shards.", m.ack, labels: base)
        out += histogram("loadgen_reply_seconds", "Message send time to the bot's first matching Graph API send; buckets add up across shards.",
                         m.reply, labels: base)
        metric("loadgen_active_users", "gauge", "Simulated users (or conversations) running.", [("", String(p.activeUsers))])
        metric("loadgen_elapsed_seconds", "gauge", "Time since the run started.", [("", seconds(p.elapsed.inSeconds * 1000))])
        metric("loadgen_duration_seconds", "gauge", "The run's planned duration.", [("", seconds(p.duration.inSeconds * 1000))])
        if !faults.isEmpty {
            metric("loadgen_fault_window_open", "gauge", "1 while the failure pattern's fault window is open.",
                   faults.map { ("pattern=\"\(escape($0))\"", p.latest.faultsOpen.contains($0) ? "1" : "0") })
        }
        return out
    }

    /// A Prometheus histogram: cumulative `_bucket`s at `latencyBucketEdges` and `+Inf`, `_sum`, `_count`.
    static func histogram(_ name: String, _ help: String, _ h: LatencyHistogram, labels: String) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (edge, count) in zip(latencyBucketEdges, h.counts(atOrBelow: latencyBucketEdges)) {
            out += "\(name)_bucket{\(labels),le=\"\(seconds(microseconds: edge))\"} \(count)\n"
        }
        out += "\(name)_bucket{\(labels),le=\"+Inf\"} \(h.count)\n"
        out += "\(name)_sum{\(labels)} \(seconds(microseconds: h.sumMicroseconds))\n"
        out += "\(name)_count{\(labels)} \(h.count)\n"
        return out
    }

    /// Milliseconds as seconds with microsecond resolution, without binary-fraction noise (`0.006263`).
    static func seconds(_ milliseconds: Double) -> String {
        seconds(microseconds: UInt64(max(0, (milliseconds * 1000).rounded())))
    }

    /// Whole microseconds as seconds (`1500` → `0.0015`), exactly.
    package static func seconds(microseconds micros: UInt64) -> String {
        let fraction = String(micros % 1_000_000)
        var text = String(micros / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A label value: backslash, double quote and newline escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
