import Foundation

/// summary.md: a report that fits a pull-request comment. The verdict first, then the criteria, the
/// percentiles, the error classes and, when chaos ran, a row per failure pattern.
public enum MarkdownSummary {
    public static func render(_ r: Report) -> String {
        var out: [String] = []
        let t = r.totals
        let badge = switch r.verdict {
        case .pass: "✅ PASS"
        case .fail: "❌ FAIL"
        case .rollback: "⛔ ROLLBACK"
        }
        out.append("## \(badge) — loadgen `\(r.run.scenario)`\(r.partial ? " (partial run: stopped early)" : "")")
        out.append("")
        let load = r.run.ratePerSecond.map { "\(fmt($0)) conversations/s (≤ \(r.run.concurrency) in flight)" } ?? "\(r.run.concurrency) users"
        out.append("\(load) for \(fmt(r.run.elapsedSeconds)) s against `\(r.run.target)`\(r.run.embeddedBot ? " (embedded reference bot)" : "")"
            + " · criteria \(r.run.criteria.joined(separator: ", ")) · started \(r.run.startedAt) · loadgen \(r.run.loadgenVersion)")
        out.append("")
        out.append("**\(t.turns) turns** (\(fmt(t.throughput))/s) · **errors \(t.errors)** (\(percent(t.errorRate))) · "
            + "replies \(t.replies) · fallback \(percent(t.fallbackRate)) · journeys \(t.journeysSucceeded)/\(t.journeys - min(t.journeys, t.journeysIncomplete)) passed")
        out.append("")
        if !r.criteria.isEmpty {
            out.append("| | criterion | threshold | actual |")
            out.append("|---|---|---|---|")
            for c in r.criteria {
                let actual = c.actualText
                out.append("| \(mark(c.status)) | [\(cell(c.preset))] \(cell(c.name)) | \(cell(c.threshold)) | \(cell(actual))\(c.note.map { " (\(cell($0)))" } ?? "") |")
            }
            out.append("")
        }
        if !r.checks.isEmpty {
            out.append("| | check | detail |")
            out.append("|---|---|---|")
            for c in r.checks { out.append("| \(mark(c.status)) | \(cell(c.name)) | \(cell(c.detail)) |") }
            out.append("")
        }
        out.append("| latency (ms) | count | p50 | p90 | p95 | p99 | max |")
        out.append("|---|--:|--:|--:|--:|--:|--:|")
        for (name, p) in [("ack", r.latency.ack), ("reply", r.latency.reply)] {
            out.append("| \(name) | \(p.count) | " + [p.p50, p.p90, p.p95, p.p99, p.max].map(fmt).joined(separator: " | ") + " |")
        }
        out.append("")
        let errors = r.errorsByClass.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        if errors.isEmpty {
            out.append("Errors by class: none.")
        } else {
            out.append("| error class | turns |")
            out.append("|---|--:|")
            for (name, n) in errors { out.append("| \(cell(name)) | \(n) |") }
        }
        if !r.patterns.isEmpty {
            out.append("")
            out.append("| pattern | injected | graceful | absorbed | wrong | silent | errored | graceful rate | activation p50 / p95 / p99 (ms) | recovery |")
            out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
            for p in r.patterns {
                let bad = p.wrong + p.silent + p.errored > 0
                out.append("| \(bad ? "❌ " : "")\(p.pattern) | \(p.injected) | \(p.graceful) | \(p.absorbed) | \(p.wrong) | \(p.silent) | \(p.errored) | "
                    + "\(percent(p.gracefulRate)) | \(fmt(p.activation.p50)) / \(fmt(p.activation.p95)) / \(fmt(p.activation.p99)) | "
                    + "\(p.recoverySeconds.map { fmt($0) + " s" } ?? "–") |")
            }
        }
        if r.personas.count > 1 {
            out.append("")
            out.append("<details><summary>Journeys</summary>")
            out.append("")
            out.append("| journey | turns | errors | reply p50 | reply p95 | reply p99 |")
            out.append("|---|--:|--:|--:|--:|--:|")
            for row in r.personas {
                out.append("| \(cell(row.persona)) | \(row.turns) | \(row.errors) | \(fmt(row.reply.p50)) | \(fmt(row.reply.p95)) | \(fmt(row.reply.p99)) |")
            }
            out.append("")
            out.append("</details>")
        }
        out.append("")
        return out.joined(separator: "\n")
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
