/// The end-of-run summary printed to the terminal: what ran, the percentile table, error classes,
/// every check, and the verdict last, where the eye lands.
public enum ConsoleSummary {
    /// Renders `report` as plain text lines.
    public static func render(_ r: Report, reportPaths: [String] = []) -> String {
        var out: [String] = []
        let t = r.totals
        out.append("")
        let load = r.run.ratePerSecond.map { "\(fmt($0)) conversations/s (≤ \(r.run.concurrency) in flight)" } ?? "\(r.run.concurrency) users"
        out.append("loadgen \(r.partial ? "(PARTIAL: stopped early) " : "")— scenario \(r.run.scenario), "
            + "\(load), \(fmt(r.run.elapsedSeconds)) s, target \(r.run.target)")
        out.append("turns \(t.turns)  (\(fmt(t.throughput))/s)   errors \(t.errors) (\(percent(t.errorRate)))   "
            + "replies \(t.replies)   fallback \(percent(t.fallbackRate))   journeys \(t.journeysSucceeded)/"
            + "\(t.journeys - t.journeysIncomplete) passed")
        if let a = r.arrivals {
            out.append("arrivals: planned \(a.planned), launched \(a.launched), dropped \(a.dropped), late \(a.late) "
                + "(launch lag p99 \(fmt(a.lag.p99)) ms, max \(fmt(a.lag.max)) ms)"
                + (a.dropped + a.late > 0 ? "  ⚠️ the generator could not keep the schedule" : ""))
        }
        out.append("")
        out.append(pad("latency (ms)", 14) + ["count", "p50", "p90", "p95", "p99", "max"].map { lpad($0, 10) }.joined())
        for (name, p) in [("ack", r.latency.ack), ("reply", r.latency.reply)] {
            out.append(pad(name, 14) + lpad(String(p.count), 10)
                + [p.p50, p.p90, p.p95, p.p99, p.max].map { lpad(fmt($0), 10) }.joined())
        }
        if r.steps.count > 1 {
            out.append("")
            let width = min(48, max(12, r.steps.map { $0.persona.count + 1 + ($0.step?.count ?? 0) }.max() ?? 0))
            out.append(pad("step", width + 2) + ["turns", "errors", "p50", "p95", "p99"].map { lpad($0, 9) }.joined())
            for row in r.steps {
                let name = String((row.persona + " " + (row.step ?? "")).prefix(width))
                out.append(pad(name, width + 2) + lpad(String(row.turns), 9) + lpad(String(row.errors), 9)
                    + [row.reply.p50, row.reply.p95, row.reply.p99].map { lpad(fmt($0), 9) }.joined())
            }
        }
        if !r.patterns.isEmpty {
            out.append("")
            out.append(pad("pattern", 20) + ["injected", "graceful", "absorbed", "wrong", "silent", "errored", "act p50", "act p95", "recovery"]
                .map { lpad($0, 10) }.joined())
            for p in r.patterns {
                out.append(pad(p.pattern, 20) + [String(p.injected), String(p.graceful), String(p.absorbed), String(p.wrong), String(p.silent),
                                                  String(p.errored)].map { lpad($0, 10) }.joined()
                    + [p.activation.p50, p.activation.p95].map { lpad(fmt($0), 10) }.joined()
                    + lpad(p.recoverySeconds.map { fmt($0) + " s" } ?? "–", 10))
            }
            let untraced = r.patterns.compactMap { p in p.untraced.map { "\(p.pattern) \($0)" } }
            if !untraced.isEmpty {
                out.append("⚠️ faults injected at upstream calls without X-Correlation-ID (counted, not judged turn by turn): "
                    + untraced.joined(separator: ", ") + "; make the bot forward the inbound message id to its upstreams as X-Correlation-ID")
            }
            let phases = ["baseline", "fault", "recovery"].compactMap { name in r.phases[name].map { (name, $0) } }
            out.append("phases: " + phases.map { "\($0.0) \($0.1.turns) turns\($0.1.throughput.map { " (\(fmt($0))/s)" } ?? ""), \(percent($0.1.errorRate)) errors, reply p95 \(fmt($0.1.reply.p95)) ms" }
                .joined(separator: " · "))
        }
        let errors = r.errorsByClass.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        out.append("")
        out.append("errors by class: " + (errors.isEmpty ? "none" : errors.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        let c = r.replies
        out.append("graph sends: matched \(c.matched), unsolicited \(c.unsolicited), duplicate \(c.duplicate), "
            + "wrong user \(c.wrongUser), unknown user \(c.unknownUser); read receipts \(c.markRead)")
        if !r.checks.isEmpty {
            out.append("")
            for check in r.checks { out.append("\(mark(check.status)) \(check.name): \(check.status.rawValue.uppercased()) — \(check.detail)") }
        }
        out.append("")
        for check in r.criteria {
            let actual = check.actualText
            let note = check.note.map { " (\($0))" } ?? ""
            out.append("\(mark(check.status)) [\(check.preset)] \(check.name) \(check.threshold): actual \(actual)\(note)")
        }
        out.append("")
        out.append("verdict: \(r.verdict.rawValue.uppercased())\(r.partial ? " (partial run)" : "")")
        if let first = reportPaths.first {
            let others = reportPaths.dropFirst().map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            out.append("report: \(first)" + (others.isEmpty ? "" : " (also \(others.joined(separator: ", ")))"))
        }
        return out.joined(separator: "\n")
    }

    /// ✅ pass, ➖ skipped, ❌ anything else: the check marks of every text report.
    package static func mark(_ status: CheckStatus) -> String {
        switch status {
        case .pass: "✅"
        case .skipped: "➖"
        case .fail: "❌"
        }
    }

    package static func fmt(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return scaled == scaled.rounded() ? String(Int64(scaled)) : String(scaled)
    }

    static func percent(_ fraction: Double) -> String { fmt(fraction * 100) + " %" }

    private static func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
    private static func lpad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
}
