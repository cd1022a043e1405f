import Foundation

/// junit.xml: one `<testsuite>` per run, with a `<testcase>` per criterion, scripted check, journey
/// (persona) and failure pattern. Failures carry the actual value against the threshold, so a CI page
/// says what broke without opening the report.
///
/// Journey and pattern cases fail exactly when their criterion in the report failed (`errorRate[JOURNEY]`,
/// `chaos.gracefulRate[PATTERN]`, see `derivedCriteria`): the verdict, the summary and JUnit say the same.
public enum JUnitReport {
    public static func render(_ r: Report) -> String {
        let suite = "loadgen." + r.run.scenario
        return xml(r, suite: suite, cases: criteriaCases(r, suite) + checkCases(r, suite) + journeyCases(r, suite) + patternCases(r, suite))
    }

    /// The criteria, but those judged per journey and per pattern: they are the journey and pattern cases.
    private static func criteriaCases(_ r: Report, _ suite: String) -> [Case] {
        r.criteria.filter { !byJourneyOrPattern($0) }.map { c in
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

    private static func byJourneyOrPattern(_ c: CheckResult) -> Bool {
        c.name.hasPrefix("errorRate[") || c.name.hasPrefix("chaos.gracefulRate[")
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

    /// A case per journey (persona): it fails when its `errorRate[JOURNEY]` criterion failed — the same
    /// judgement the verdict made.
    private static func journeyCases(_ r: Report, _ suite: String) -> [Case] {
        r.personas.map { row in
            var tc = Case(classname: suite + ".journeys", name: row.persona)
            let summary = "\(row.turns) turns, \(row.errors) errors, reply p50 \(ConsoleSummary.fmt(row.reply.p50)) ms, p95 \(ConsoleSummary.fmt(row.reply.p95)) ms"
            tc.output = summary
            if let c = r.criteria.first(where: { $0.name == "errorRate[\(row.persona)]" }), c.status == .fail {
                tc.failure = ("\(row.persona): \(row.errors) of \(row.turns) turns failed (\(ConsoleSummary.percent(row.errorRate))), threshold error rate \(c.threshold)",
                              summary)
            }
            return tc
        }
    }

    /// A case per failure pattern: it fails when its `chaos.gracefulRate[PATTERN]` criterion failed.
    private static func patternCases(_ r: Report, _ suite: String) -> [Case] {
        r.patterns.map { p in
            var tc = Case(classname: suite + ".patterns", name: p.pattern)
            let summary = "injected \(p.injected), graceful \(p.graceful), absorbed \(p.absorbed), wrong \(p.wrong), silent \(p.silent), "
                + "errored \(p.errored); activation p95 \(ConsoleSummary.fmt(p.activation.p95)) ms"
                + (p.recoverySeconds.map { "; recovered after \(ConsoleSummary.fmt($0)) s" } ?? "")
            tc.output = summary
            if let c = r.criteria.first(where: { $0.name == "chaos.gracefulRate[\(p.pattern)]" }), c.status == .fail {
                tc.failure = ("\(p.pattern): graceful \(ConsoleSummary.percent(p.gracefulRate)) (threshold \(c.threshold)); "
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
