import Foundation

/// `loadgen compare BASELINE CURRENT`: did the current run get worse than the baseline, beyond noise?
///
/// A metric regresses only when the change clears every bar at once:
/// - **relative**: latencies more than `relative` (20 %) above the baseline;
/// - **absolute**: and more than `absoluteMilliseconds` (5 ms) above it: below that, run-to-run changes of
///   a fast bot are scheduling noise on a shared machine, not the bot; rates must move by more than `ratePoints` (0.5 percentage points);
/// - **sampling noise**: latency percentiles must leave the baseline's 99 % confidence interval for that
///   percentile (the ranks n·p ± 2.58·√(n·p·(1−p)) read off the baseline's histogram); rates must move
///   by more than 2.58 standard errors of the difference of two proportions;
/// - **samples**: both runs need at least `minSamples` values, otherwise the row says "too few samples".
public struct ComparisonRules: Sendable, Equatable {
    public var relative = 0.20
    public var absoluteMilliseconds = 5.0
    public var ratePoints = 0.005
    public var minSamples: UInt64 = 100
    /// z for the confidence bounds (2.576: 99 %).
    public var z = 2.576
    public init() {}
}

/// The comparison of two reports, metric by metric.
public struct ReportComparison: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case same, improved, regressed, tooFewSamples = "too few samples", missing
    }

    public struct Row: Sendable, Equatable {
        public var metric: String
        public var baseline: Double?
        public var current: Double?
        /// `ms`, `%` (values are fractions), `/s`.
        public var unit: String
        public var status: Status
        /// The bar the change had to clear, in the metric's unit.
        public var allowance: Double?
    }

    public var rows: [Row]
    public var rules: ComparisonRules
    /// What makes the two runs hard to compare (different scenarios, shapes, partial runs), said above the table.
    public var caveats: [String] = []
    public var regressions: [Row] { rows.filter { $0.status == .regressed } }
    public var regressed: Bool { !regressions.isEmpty }

    /// Compares `current` with `baseline` under `rules`.
    public init(baseline b: Report, current c: Report, rules: ComparisonRules = ComparisonRules()) {
        self.rules = rules
        if b.run.scenario != c.run.scenario { caveats.append("different scenarios: \(b.run.scenario) and \(c.run.scenario)") }
        if b.run.model != c.run.model || b.run.concurrency != c.run.concurrency || b.run.ratePerSecond != c.run.ratePerSecond {
            caveats.append("different load: \(Self.shape(b)) and \(Self.shape(c))")
        }
        if b.partial || c.partial { caveats.append("a partial run (stopped early) is being compared") }
        rows = Self.latencyRows(b, c, rules) + Self.rateRows(b, c, rules) + Self.throughputRows(b, c, rules) + Self.journeyRows(b, c, rules)
            + Self.patternRows(b, c, rules)
    }

    private static func latencyRows(_ b: Report, _ c: Report, _ rules: ComparisonRules) -> [Row] {
        let percentiles: [(Double, (Report.Percentiles) -> Double)] = [(50, \.p50), (95, \.p95), (99, \.p99)]
        var rows: [Row] = []
        for (name, pb, pc, histogram) in [("reply", b.latency.reply, c.latency.reply, b.metrics?.reply), ("ack", b.latency.ack, c.latency.ack, b.metrics?.ack)] {
            for (p, pick) in percentiles {
                rows.append(latencyRow("\(name) p\(Int(p))", base: pick(pb), current: pick(pc), counts: (pb.count, pc.count),
                                       percentile: p, histogram: histogram, rules: rules))
            }
        }
        return rows
    }

    private static func rateRows(_ b: Report, _ c: Report, _ rules: ComparisonRules) -> [Row] {
        let finished = { (t: Report.Totals) in t.journeys - min(t.journeys, t.journeysIncomplete) }
        return [
            rateRow("error rate", base: b.totals.errorRate, current: c.totals.errorRate, counts: (b.totals.turns, c.totals.turns),
                    higherIsBetter: false, rules: rules),
            rateRow("fallback rate", base: b.totals.fallbackRate, current: c.totals.fallbackRate, counts: (b.totals.replies, c.totals.replies),
                    higherIsBetter: false, rules: rules),
            rateRow("journey success rate", base: b.totals.successRate, current: c.totals.successRate,
                    counts: (finished(b.totals), finished(c.totals)), higherIsBetter: true, rules: rules),
        ]
    }

    /// Throughput only means something between runs of the same shape that both ran their full duration
    /// (a run bounded by a journey count ends as soon as it is done: its rate is its speed).
    private static func throughputRows(_ b: Report, _ c: Report, _ rules: ComparisonRules) -> [Row] {
        let full = { (r: Report) in r.run.elapsedSeconds >= r.run.durationSeconds * 0.95 }
        guard full(b), full(c), b.run.model == c.run.model, b.run.concurrency == c.run.concurrency, b.run.ratePerSecond == c.run.ratePerSecond,
              b.run.thinkTimeSeconds == c.run.thinkTimeSeconds else { return [] }
        let drop = b.totals.throughput * rules.relative
        let status: Status = min(b.totals.turns, c.totals.turns) < rules.minSamples ? .tooFewSamples
            : c.totals.throughput < b.totals.throughput - drop ? .regressed
            : c.totals.throughput > b.totals.throughput + drop ? .improved : .same
        return [Row(metric: "throughput", baseline: b.totals.throughput, current: c.totals.throughput, unit: "/s", status: status, allowance: drop)]
    }

    /// Per journey (persona): its error rate and reply p95, so a nightly says which journey got worse.
    private static func journeyRows(_ b: Report, _ c: Report, _ rules: ComparisonRules) -> [Row] {
        var personaReplies: [String: LatencyHistogram] = [:]
        for (key, stats) in b.metrics?.steps ?? [:] { personaReplies[key.persona, default: LatencyHistogram()].add(stats.reply) }
        return b.personas.flatMap { pb -> [Row] in
            guard let pc = c.personas.first(where: { $0.persona == pb.persona }) else { return [] }
            return [rateRow("\(pb.persona) error rate", base: pb.errorRate, current: pc.errorRate, counts: (pb.turns, pc.turns),
                            higherIsBetter: false, rules: rules),
                    latencyRow("\(pb.persona) reply p95", base: pb.reply.p95, current: pc.reply.p95, counts: (pb.reply.count, pc.reply.count),
                               percentile: 95, histogram: personaReplies[pb.persona], rules: rules)]
        }
    }

    private static func patternRows(_ b: Report, _ c: Report, _ rules: ComparisonRules) -> [Row] {
        let patterns = Set(b.patterns.map(\.pattern)).union(c.patterns.map(\.pattern))
        return FailurePattern.allCases.filter { patterns.contains($0.rawValue) }.flatMap { pattern -> [Row] in
            let name = pattern.rawValue
            guard let pb = b.patterns.first(where: { $0.pattern == name }), let pc = c.patterns.first(where: { $0.pattern == name }) else {
                return [Row(metric: "\(name) graceful rate", baseline: b.patterns.first { $0.pattern == name }?.gracefulRate,
                            current: c.patterns.first { $0.pattern == name }?.gracefulRate, unit: "%", status: .missing, allowance: nil)]
            }
            return [rateRow("\(name) graceful rate", base: pb.gracefulRate, current: pc.gracefulRate, counts: (pb.injected, pc.injected),
                            higherIsBetter: true, rules: rules, minSamples: 1),
                    latencyRow("\(name) activation p95", base: pb.activation.p95, current: pc.activation.p95,
                               counts: (pb.activation.count, pc.activation.count), percentile: 95,
                               histogram: b.metrics?.patterns[pattern]?.activation, rules: rules)]
        }
    }

    private static func shape(_ r: Report) -> String {
        r.run.ratePerSecond.map { "\(ConsoleSummary.fmt($0)) conversations/s" } ?? "\(r.run.concurrency) users"
    }

    static func latencyRow(_ name: String, base: Double, current: Double, counts: (UInt64, UInt64), percentile: Double,
                           histogram: LatencyHistogram?, rules: ComparisonRules) -> Row {
        guard min(counts.0, counts.1) >= rules.minSamples else {
            return Row(metric: name, baseline: base, current: current, unit: "ms", status: .tooFewSamples, allowance: nil)
        }
        var upper = max(base * (1 + rules.relative), base + rules.absoluteMilliseconds)
        var lower = min(base * (1 - rules.relative), base - rules.absoluteMilliseconds)
        if let h = histogram, h.count > 0 {
            let n = Double(h.count), p = percentile / 100
            let spread = rules.z * (n * p * (1 - p)).squareRoot()
            upper = max(upper, h.milliseconds(atPercentile: min(100, 100 * (n * p + spread) / n)))
            lower = min(lower, h.milliseconds(atPercentile: max(0, 100 * (n * p - spread) / n)))
        }
        let status: Status = current > upper ? .regressed : current < lower ? .improved : .same
        return Row(metric: name, baseline: base, current: current, unit: "ms", status: status, allowance: upper - base)
    }

    static func rateRow(_ name: String, base: Double, current: Double, counts: (UInt64, UInt64), higherIsBetter: Bool,
                        rules: ComparisonRules, minSamples: UInt64? = nil) -> Row {
        guard min(counts.0, counts.1) >= (minSamples ?? rules.minSamples) else {
            return Row(metric: name, baseline: base, current: current, unit: "%", status: .tooFewSamples, allowance: nil)
        }
        let (n1, n2) = (Double(counts.0), Double(counts.1))
        let pooled = (base * n1 + current * n2) / (n1 + n2)
        let noise = rules.z * (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        let allowance = max(rules.ratePoints, noise, higherIsBetter ? 0 : rules.relative * base)
        let worse = higherIsBetter ? base - current : current - base
        let status: Status = worse > allowance ? .regressed : -worse > allowance ? .improved : .same
        return Row(metric: name, baseline: base, current: current, unit: "%", status: status, allowance: allowance)
    }

    /// The diff as a Markdown table, the verdict first.
    public func markdown(baselineName: String, currentName: String) -> String {
        var out: [String] = []
        let names = regressions.map(\.metric).joined(separator: ", ")
        out.append(regressed ? "## ❌ REGRESSION — \(names)" : "## ✅ no regression")
        out.append("")
        for caveat in caveats { out.append("⚠️ \(caveat)") }
        if !caveats.isEmpty { out.append("") }
        out.append("`\(currentName)` against baseline `\(baselineName)`: a change counts when it is above "
            + "\(ConsoleSummary.fmt(rules.relative * 100)) % and \(ConsoleSummary.fmt(rules.absoluteMilliseconds)) ms "
            + "(rates: \(ConsoleSummary.fmt(rules.ratePoints * 100)) points) and outside the baseline's 99 % confidence bound, "
            + "with at least \(rules.minSamples) samples on both sides.")
        out.append("")
        out.append("| | metric | baseline | current | change | allowed |")
        out.append("|---|---|--:|--:|--:|--:|")
        for row in rows {
            let mark = switch row.status {
            case .same: "✅"
            case .improved: "⬆️"
            case .regressed: "❌"
            case .tooFewSamples, .missing: "➖"
            }
            let change: String
            if let b = row.baseline, let c = row.current {
                let delta = format(c - b, row.unit, signed: true)
                change = delta + (row.unit != "%" && b > 0 ? " (\(c >= b ? "+" : "")\(ConsoleSummary.fmt((c - b) / b * 100)) %)" : "")
            } else {
                change = "–"
            }
            let status = row.status == .same || row.status == .regressed || row.status == .improved ? "" : " (\(row.status.rawValue))"
            out.append("| \(mark) | \(row.metric)\(status) | \(row.baseline.map { format($0, row.unit) } ?? "–") | "
                + "\(row.current.map { format($0, row.unit) } ?? "–") | \(change) | \(row.allowance.map { "± " + format($0, row.unit) } ?? "–") |")
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// The comparison as JUnit XML: a test case per metric, failing when it regressed, so a CI page
    /// shows regressions next to the run's own junit.xml.
    public func junit(scenario: String) -> String {
        let failures = regressions.count
        let skipped = rows.filter { $0.status == .tooFewSamples || $0.status == .missing }.count
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuites name=\"loadgen compare\" tests=\"\(rows.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
        x += "  <testsuite name=\(JUnitReport.attr("loadgen.\(scenario).regression")) tests=\"\(rows.count)\" failures=\"\(failures)\" "
            + "errors=\"0\" skipped=\"\(skipped)\">\n"
        for row in rows {
            let values = "baseline \(row.baseline.map { format($0, row.unit) } ?? "–"), current \(row.current.map { format($0, row.unit) } ?? "–")"
                + (row.allowance.map { ", allowed ± \(format($0, row.unit))" } ?? "")
            x += "    <testcase classname=\(JUnitReport.attr("loadgen.\(scenario).regression")) name=\(JUnitReport.attr(row.metric)) time=\"0\">\n"
            switch row.status {
            case .regressed: x += "      <failure message=\(JUnitReport.attr("\(row.metric) regressed: \(values)")) type=\"regression\"/>\n"
            case .tooFewSamples, .missing: x += "      <skipped message=\(JUnitReport.attr("\(row.status.rawValue): \(values)"))/>\n"
            case .same, .improved: x += "      <system-out>\(JUnitReport.text(row.status.rawValue + ": " + values))</system-out>\n"
            }
            x += "    </testcase>\n"
        }
        x += "  </testsuite>\n</testsuites>\n"
        return x
    }

    private func format(_ v: Double, _ unit: String, signed: Bool = false) -> String {
        let sign = signed && v > 0 ? "+" : ""
        switch unit {
        case "%": return sign + ConsoleSummary.fmt(v * 100) + (signed ? " pt" : " %")
        case "ms": return sign + ConsoleSummary.fmt(v) + " ms"
        default: return sign + ConsoleSummary.fmt(v) + " " + unit
        }
    }
}
