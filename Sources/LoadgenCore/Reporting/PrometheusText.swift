/// Live metrics in the Prometheus text exposition format (version 0.0.4), for Grafana during a run
/// (`--metrics-listen`). Counters are the run's totals so far; latencies are summaries over the run so
/// far, quantiles from the HDR histograms, in seconds as Prometheus expects.
public enum PrometheusText {
    /// The exposition of `progress` for `scenario`; `faults` are the chaos plan's patterns (each gets a
    /// `loadgen_fault_window_open` gauge, 1 while its window is open).
    public static func render(_ p: Progress, scenario: String, faults: [String]) -> String {
        let m = p.metrics
        let base = "scenario=\"\(escape(scenario))\""
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
            out += "\(name)_sum{\(base)} \(seconds(h.meanMilliseconds * Double(h.count)))\n"
            out += "\(name)_count{\(base)} \(h.count)\n"
        }
        metric("loadgen_active_users", "gauge", "Simulated users (or conversations) running.", [("", String(p.activeUsers))])
        metric("loadgen_elapsed_seconds", "gauge", "Time since the run started.", [("", seconds(p.elapsed.inSeconds * 1000))])
        metric("loadgen_duration_seconds", "gauge", "The run's planned duration.", [("", seconds(p.duration.inSeconds * 1000))])
        if !faults.isEmpty {
            metric("loadgen_fault_window_open", "gauge", "1 while the failure pattern's fault window is open.",
                   faults.map { ("pattern=\"\(escape($0))\"", p.latest.faultsOpen.contains($0) ? "1" : "0") })
        }
        return out
    }

    /// Milliseconds as seconds with microsecond resolution, without binary-fraction noise (`0.006263`).
    static func seconds(_ milliseconds: Double) -> String {
        let micros = Int64((milliseconds * 1000).rounded())
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
