/// The end-of-run summary printed to the terminal: what ran, the percentile table, error classes,
/// every check, and the verdict last, where the eye lands.
public enum ConsoleSummary {
    /// Renders `report` as plain text lines.
    public static func render(_ r: Report, reportPaths: [String] = []) -> String {
        (header(r) + [""] + latencies(r) + steps(r) + patterns(r) + [""] + errors(r) + checks(r) + [""] + verdict(r, reportPaths: reportPaths))
            .joined(separator: "\n")
    }

    private static func header(_ r: Report) -> [String] {
        let t = r.totals
        let load = r.run.ratePerSecond.map { "\(fmt($0)) conversations/s (≤ \(r.run.concurrency) in flight)" } ?? "\(r.run.concurrency) users"
        var out = ["", "loadgen \(r.partial ? "(PARTIAL: stopped early) " : "")— scenario \(r.run.scenario), "
            + "\(load), \(fmt(r.run.elapsedSeconds)) s, target \(r.run.target)"]
        out.append("turns \(t.turns)  (\(fmt(t.throughput))/s)   errors \(t.errors) (\(percent(t.errorRate)))   "
            + "replies \(t.replies)   fallback \(percent(t.fallbackRate))   journeys \(t.journeysSucceeded)/"
            + "\(t.journeys - t.journeysIncomplete) passed")
        if let a = r.arrivals {
            out.append("arrivals: planned \(a.planned), launched \(a.launched), dropped \(a.dropped), late \(a.late) "
                + "(launch lag p99 \(fmt(a.lag.p99)) ms, max \(fmt(a.lag.max)) ms)"
                + (a.dropped + a.late > 0 ? "  ⚠️ the generator could not keep the schedule" : ""))
        }
        if let p = r.run.graphProxy {
            out.append("graph proxy \(p.address): \(p.intercepted) requests intercepted (\(p.hosts.joined(separator: ", "))), \(p.tunnelled) tunnels, "
                + "\(p.refused) refused" + (p.handshakesFailed > 0 ? "  ⚠️ \(p.handshakesFailed) TLS handshakes failed: does the bot trust loadgen's CA?" : ""))
        }
        if let h = r.run.hub {
            let offset = h.clockOffsetMilliseconds.map { "clock offset \(fmt($0)) ms ± \(fmt(h.clockUncertaintyMilliseconds)) ms" }
                ?? "clock offsets within ± \(fmt(h.clockUncertaintyMilliseconds)) ms"
            out.append("hub \(h.url): started \(h.start), \(offset)"
                + (h.lostAtSeconds.map { "  ⚠️ lost the hub at \(fmt($0)) s: turns still waiting then are hub_lost" } ?? ""))
        }
        return out
    }

    private static func latencies(_ r: Report) -> [String] {
        var out = [pad("latency (ms)", 14) + ["count", "p50", "p90", "p95", "p99", "max"].map { lpad($0, 10) }.joined()]
        for (name, p) in [("ack", r.latency.ack), ("reply", r.latency.reply)] {
            out.append(pad(name, 14) + lpad(String(p.count), 10) + [p.p50, p.p90, p.p95, p.p99, p.max].map { lpad(fmt($0), 10) }.joined())
        }
        return out
    }

    private static func steps(_ r: Report) -> [String] {
        guard r.steps.count > 1 else { return [] }
        let width = min(48, max(12, r.steps.map { $0.persona.count + 1 + ($0.step?.count ?? 0) }.max() ?? 0))
        var out = ["", pad("step", width + 2) + ["turns", "errors", "p50", "p95", "p99"].map { lpad($0, 9) }.joined()]
        for row in r.steps {
            let name = String((row.persona + " " + (row.step ?? "")).prefix(width))
            out.append(pad(name, width + 2) + lpad(String(row.turns), 9) + lpad(String(row.errors), 9)
                + [row.reply.p50, row.reply.p95, row.reply.p99].map { lpad(fmt($0), 9) }.joined())
        }
        return out
    }

    private static func patterns(_ r: Report) -> [String] {
        guard !r.patterns.isEmpty else { return [] }
        var out = ["", pad("pattern", 20) + ["injected", "graceful", "absorbed", "wrong", "silent", "errored", "act p50", "act p95", "recovery"]
            .map { lpad($0, 10) }.joined()]
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
        out.append("phases: " + phases.map { name, phase in
            "\(name) \(phase.turns) turns\(phase.throughput.map { " (\(fmt($0))/s)" } ?? ""), \(percent(phase.errorRate)) errors, "
                + "reply p95 \(fmt(phase.reply.p95)) ms"
        }.joined(separator: " · "))
        return out
    }

    private static func errors(_ r: Report) -> [String] {
        let errors = r.errorsByClass.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let c = r.replies
        // The class's count once, with the first body it was seen with; other distinct bodies below it.
        let said = errors.flatMap { c, n -> [String] in
            guard let bodies = r.errorSamples?[c], let first = bodies.first else { return [] }
            return ["  \(c) ×\(n): \(first)"] + bodies.dropFirst().map { "  " + String(repeating: " ", count: c.count) + " or: " + $0 }
        }
        return ["errors by class: " + (errors.isEmpty ? "none" : errors.map { "\($0.key) \($0.value)" }.joined(separator: ", "))] + said + [
                "graph sends: matched \(c.matched), unsolicited \(c.unsolicited), duplicate \(c.duplicate), "
                    + "wrong user \(c.wrongUser), unknown user \(c.unknownUser)\(c.refused > 0 ? ", refused \(c.refused) (malformed, Meta would refuse them)" : ""); "
                    + "read receipts \(c.markRead)"] + graphLimits(r)
    }

    /// With `--graph-limits`: the hits of each of Meta's limits.
    private static func graphLimits(_ r: Report) -> [String] {
        guard let g = r.graphLimits else { return [] }
        return ["Meta's limits hit: pair rate \(g.pairRate) refused + \(g.pairRateFailed) failed later (131056), throughput \(g.throughput) "
            + "(130429), window \(g.window) (131047, failed statuses)"]
    }

    private static func checks(_ r: Report) -> [String] {
        var out: [String] = []
        if !r.checks.isEmpty {
            out.append("")
            for check in r.checks { out.append("\(mark(check.status)) \(check.name): \(check.status.rawValue.uppercased()) — \(check.detail)") }
        }
        out.append("")
        for check in r.criteria {
            let note = check.note.map { " (\($0))" } ?? ""
            out.append("\(mark(check.status)) [\(check.preset)] \(check.name) \(check.threshold): actual \(check.actualText)\(note)")
        }
        return out
    }

    private static func verdict(_ r: Report, reportPaths: [String]) -> [String] {
        var out = r.tripped.map { ["⛔ \($0.description)"] } ?? []
        out.append("verdict: \(r.verdict.rawValue.uppercased())\(r.partial ? " (partial run)" : "")")
        if let first = reportPaths.first {
            let others = reportPaths.dropFirst().map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            out.append("report: \(first)" + (others.isEmpty ? "" : " (also \(others.joined(separator: ", ")))"))
        }
        return out
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
