import Foundation

/// summary.md: a report that fits a pull-request comment. The verdict first, then the criteria, the
/// percentiles, the error classes and, when chaos ran, a row per failure pattern.
public enum MarkdownSummary {
    public static func render(_ r: Report) -> String {
        (header(r) + judgement(r) + latencies(r) + graphLimits(r) + patterns(r) + journeys(r) + [""]).joined(separator: "\n")
    }

    /// With `--graph-limits`: the hits of each of Meta's limits.
    private static func graphLimits(_ r: Report) -> [String] {
        guard let g = r.graphLimits else { return [] }
        return ["", "| Meta's limit | code | hits | how the bot heard |", "|---|---|--:|---|",
                "| pair rate | 131056 | \(g.pairRate) | refused (HTTP 429) |",
                "| pair rate, just past the bucket | 131056 | \(g.pairRateFailed) | accepted, then a `failed` status |",
                "| throughput | 130429 | \(g.throughput) | refused (HTTP 429) |",
                "| 24-hour window | 131047 | \(g.window) | accepted, then a `failed` status |"]
    }

    private static func header(_ r: Report) -> [String] {
        let t = r.totals
        let badge = switch r.verdict {
        case .pass: "✅ PASS"
        case .fail: "❌ FAIL"
        case .rollback: "⛔ ROLLBACK"
        }
        let load = r.run.ratePerSecond.map { "\(fmt($0)) conversations/s (≤ \(r.run.concurrency) in flight)" } ?? "\(r.run.concurrency) users"
        return ["## \(badge) — loadgen `\(r.run.scenario)`\(r.partial ? " (partial run: stopped early)" : "")", "",
                "\(load) for \(fmt(r.run.elapsedSeconds)) s against `\(r.run.target)`\(r.run.embeddedBot ? " (embedded reference bot)" : "")"
                    + " · criteria \(r.run.criteria.joined(separator: ", ")) · started \(r.run.startedAt) · loadgen \(r.run.loadgenVersion)", "",
                "**\(t.turns) turns** (\(fmt(t.throughput))/s) · **errors \(t.errors)** (\(percent(t.errorRate))) · "
                    + "replies \(t.replies) · fallback \(percent(t.fallbackRate)) · journeys \(t.journeysSucceeded)/\(t.journeys - min(t.journeys, t.journeysIncomplete)) passed",
                ""]
    }

    /// The criteria and the scripted checks.
    private static func judgement(_ r: Report) -> [String] {
        var out: [String] = []
        if !r.criteria.isEmpty {
            out += ["| | criterion | threshold | actual |", "|---|---|---|---|"]
            for c in r.criteria {
                out.append("| \(mark(c.status)) | [\(cell(c.preset))] \(cell(c.name)) | \(cell(c.threshold)) | \(cell(c.actualText))\(c.note.map { " (\(cell($0)))" } ?? "") |")
            }
            out.append("")
        }
        if !r.checks.isEmpty {
            out += ["| | check | detail |", "|---|---|---|"]
            for c in r.checks { out.append("| \(mark(c.status)) | \(cell(c.name)) | \(cell(c.detail)) |") }
            out.append("")
        }
        return out
    }

    /// The percentiles and the error classes.
    private static func latencies(_ r: Report) -> [String] {
        var out = ["| latency (ms) | count | p50 | p90 | p95 | p99 | max |", "|---|--:|--:|--:|--:|--:|--:|"]
        for (name, p) in [("ack", r.latency.ack), ("reply", r.latency.reply)] {
            out.append("| \(name) | \(p.count) | " + [p.p50, p.p90, p.p95, p.p99, p.max].map(fmt).joined(separator: " | ") + " |")
        }
        out.append("")
        let errors = r.errorsByClass.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        guard !errors.isEmpty else { return out + ["Errors by class: none."] }
        guard let samples = r.errorSamples, !samples.isEmpty else {
            return out + ["| error class | turns |", "|---|--:|"] + errors.map { "| \(cell($0.key)) | \($0.value) |" }
        }
        return out + ["| error class | turns | what the target said |", "|---|--:|---|"] + errors.map { c, n in
            let said = (samples[c] ?? []).map { "`" + cell($0).replacingOccurrences(of: "`", with: "'") + "`" }.joined(separator: "<br>")
            return "| \(cell(c)) | \(n) | \(said) |"
        }
    }

    private static func patterns(_ r: Report) -> [String] {
        guard !r.patterns.isEmpty else { return [] }
        return ["", "| pattern | injected | graceful | absorbed | wrong | silent | errored | graceful rate | activation p50 / p95 / p99 (ms) | recovery |",
                "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"] + r.patterns.map { p in
            let bad = p.wrong + p.silent + p.errored > 0
            return "| \(bad ? "❌ " : "")\(p.pattern) | \(p.injected) | \(p.graceful) | \(p.absorbed) | \(p.wrong) | \(p.silent) | \(p.errored) | "
                + "\(percent(p.gracefulRate)) | \(fmt(p.activation.p50)) / \(fmt(p.activation.p95)) / \(fmt(p.activation.p99)) | "
                + "\(p.recoverySeconds.map { fmt($0) + " s" } ?? "–") |"
        }
    }

    private static func journeys(_ r: Report) -> [String] {
        guard r.personas.count > 1 else { return [] }
        return ["", "<details><summary>Journeys</summary>", "", "| journey | turns | errors | reply p50 | reply p95 | reply p99 |", "|---|--:|--:|--:|--:|--:|"]
            + r.personas.map { row in
                "| \(cell(row.persona)) | \(row.turns) | \(row.errors) | \(fmt(row.reply.p50)) | \(fmt(row.reply.p95)) | \(fmt(row.reply.p99)) |"
            } + ["", "</details>"]
    }

    private static func mark(_ status: CheckStatus) -> String { ConsoleSummary.mark(status) }

    /// Text safe inside a table cell: no pipes, no line breaks, nothing a renderer takes for an HTML
    /// tag (`<` before a letter, `/`, `!` or `?`); `< 2 %` stays readable.
    static func cell(_ s: String) -> String {
        var out = ""
        var previous: Character?
        for c in s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") {
            if previous == "<", c.isLetter || "/!?".contains(c) { out.removeLast(); out += "&lt;" }
            out.append(c)
            previous = c
        }
        return out
    }

    static func fmt(_ v: Double) -> String { ConsoleSummary.fmt(v) }
    static func percent(_ v: Double) -> String { ConsoleSummary.percent(v) }
}
