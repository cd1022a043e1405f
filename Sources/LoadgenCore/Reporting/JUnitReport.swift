import Foundation

/// junit.xml: one `<testsuite>` per run, with a `<testcase>` per criterion, scripted check, journey
/// (persona) and failure pattern. Failures carry the actual value against the threshold, so a CI page
/// says what broke without opening the report.
///
/// A journey fails when its error rate breaks the run's `error.rate` criterion (any error, when the
/// criteria have none); a pattern fails when its graceful rate is below the run's `chaos.gracefulRate`
/// criterion (its own `chaos.gracefulRate[PATTERN]` first; 99 % when absent) or when any turn it hit
/// went wrong, silent or errored.
public enum JUnitReport {
    public static func render(_ r: Report) -> String {
        let suite = "loadgen." + r.run.scenario
        let sets = (try? CriteriaSet.parse(r.run.criteriaSpec ?? r.run.criteria.joined(separator: ","))) ?? []
        let criteria = sets.flatMap(\.criteria)
        let cases = criteriaCases(r, suite) + checkCases(r, suite) + journeyCases(r, suite, criteria) + patternCases(r, suite, criteria)
        return xml(r, suite: suite, cases: cases)
    }

    private static func criteriaCases(_ r: Report, _ suite: String) -> [Case] {
        r.criteria.map { c in
            var tc = Case(classname: suite + ".criteria", name: "[\(c.preset)] \(c.name) \(c.threshold)")
            switch c.status {
            case .pass: break
            case .skipped: tc.skipped = c.note ?? "skipped"
            case .fail:
                tc.failure = ("\(c.name): actual \(c.actualText), threshold \(c.threshold)",
                              "actual \(c.actualText)\nthreshold \(c.threshold)\n\(c.note ?? "")")
            }
            return tc
        }
    }

    private static func checkCases(_ r: Report, _ suite: String) -> [Case] {
        r.checks.map { check in
            var tc = Case(classname: suite + ".checks", name: check.name)
            switch check.status {
            case .pass: tc.output = check.detail
            case .skipped: tc.skipped = check.detail
            case .fail: tc.failure = ("\(check.name): \(check.detail)", check.detail)
            }
            return tc
        }
    }

    private static func journeyCases(_ r: Report, _ suite: String, _ criteria: [Criterion]) -> [Case] {
        let errorLimit = criteria.first { $0.metric == .errorRate }
        return r.personas.map { row in
            var tc = Case(classname: suite + ".journeys", name: row.persona)
            let summary = "\(row.turns) turns, \(row.errors) errors, reply p50 \(ConsoleSummary.fmt(row.reply.p50)) ms, p95 \(ConsoleSummary.fmt(row.reply.p95)) ms"
            tc.output = summary
            if errorLimit.map({ !$0.holds(row.errorRate) }) ?? (row.errors > 0) {
                let threshold = errorLimit.map { "error.rate \($0.thresholdText)" } ?? "no errors"
                tc.failure = ("\(row.persona): \(row.errors) of \(row.turns) turns failed (\(ConsoleSummary.percent(row.errorRate))), threshold \(threshold)",
                              summary)
            }
            return tc
        }
    }

    private static func patternCases(_ r: Report, _ suite: String, _ criteria: [Criterion]) -> [Case] {
        let everyPattern = criteria.first { $0.metric == .chaosGracefulRate && $0.pattern == nil } ?? Criterion(.chaosGracefulRate, .atLeast, 0.99)
        return r.patterns.map { p in
            let graceful = criteria.first { $0.metric == .chaosGracefulRate && $0.pattern?.rawValue == p.pattern } ?? everyPattern
            var tc = Case(classname: suite + ".patterns", name: p.pattern)
            let summary = "injected \(p.injected), graceful \(p.graceful), absorbed \(p.absorbed), wrong \(p.wrong), silent \(p.silent), "
                + "errored \(p.errored); activation p95 \(ConsoleSummary.fmt(p.activation.p95)) ms"
                + (p.recoverySeconds.map { "; recovered after \(ConsoleSummary.fmt($0)) s" } ?? "")
            tc.output = summary
            if !graceful.holds(p.gracefulRate) || p.wrong + p.silent + p.errored > 0 {
                tc.failure = ("\(p.pattern): graceful \(ConsoleSummary.percent(p.gracefulRate)) (threshold \(graceful.thresholdText)); "
                              + "wrong \(p.wrong), silent \(p.silent), errored \(p.errored) of \(p.injected) turns hit", summary)
            }
            return tc
        }
    }

    private static func xml(_ r: Report, suite: String, cases: [Case]) -> String {
        let failures = cases.filter { $0.failure != nil }.count
        let skipped = cases.filter { $0.skipped != nil }.count
        let time = String(format: "%.3f", r.run.elapsedSeconds)
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuites name=\"loadgen\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(time)\">\n"
        x += "  <testsuite name=\(attr(suite)) tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" "
            + "time=\"\(time)\" timestamp=\(attr(String(r.run.startedAt.prefix(19))))>\n"
        x += "    <properties>\n"
        let properties: [(String, String)] = [
            ("verdict", r.verdict.rawValue), ("partial", String(r.partial)), ("target", r.run.target),
            ("model", r.run.model.rawValue), ("concurrency", String(r.run.concurrency)), ("seed", String(r.run.seed)),
            ("criteria", r.run.criteriaSpec ?? r.run.criteria.joined(separator: ",")),
            ("turns", String(r.totals.turns)), ("errorRate", String(r.totals.errorRate)),
            ("replyP95Ms", String(r.latency.reply.p95)), ("loadgenVersion", r.run.loadgenVersion),
        ]
        for (name, value) in properties { x += "      <property name=\(attr(name)) value=\(attr(value))/>\n" }
        x += "    </properties>\n"
        for tc in cases { x += testcase(tc) }
        return x + "  </testsuite>\n</testsuites>\n"
    }

    private static func testcase(_ tc: Case) -> String {
        var x = "    <testcase classname=\(attr(tc.classname)) name=\(attr(tc.name)) time=\"0\""
        guard tc.failure != nil || tc.skipped != nil || tc.output != nil else { return x + "/>\n" }
        x += ">\n"
        if let (message, body) = tc.failure { x += "      <failure message=\(attr(message)) type=\"loadgen\">\(text(body))</failure>\n" }
        if let why = tc.skipped { x += "      <skipped message=\(attr(why))/>\n" }
        if let output = tc.output { x += "      <system-out>\(text(output))</system-out>\n" }
        return x + "    </testcase>\n"
    }

    private struct Case {
        var classname: String
        var name: String
        var failure: (message: String, body: String)?
        var skipped: String?
        var output: String?
    }

    /// A quoted XML attribute value.
    static func attr(_ s: String) -> String { "\"" + text(s).replacingOccurrences(of: "\"", with: "&quot;") + "\"" }

    /// XML character data: markup escaped, characters XML 1.0 forbids dropped.
    static func text(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
