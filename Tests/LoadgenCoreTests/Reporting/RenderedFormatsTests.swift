import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LoadgenCore
import Testing

@Suite struct JUnitTests {
    /// A chaos run where one pattern broke and one journey had errors, parsed with a standard XML parser.
    @Test func theXMLHasASuiteWithACaseForEveryCriterionJourneyAndPattern() throws {
        var m = ReportFixtures.metrics(replies: ReportFixtures.latencies(900, medianMs: 700, seed: 1), errors: 100, persona: "buyer <vip>")
        m.merge(ReportFixtures.metrics(replies: ReportFixtures.latencies(500, medianMs: 5, seed: 2), persona: "rider"))
        m.patterns[.timeout] = ReportFixtures.pattern(injected: 20, graceful: 20)
        m.patterns[.noResults] = ReportFixtures.pattern(injected: 10, graceful: 7, silent: 3)
        let chaos: ChaosPlan = [.inject(.timeout, rate: 0.5), .inject(.noResults, rate: 0.5)]
        let report = ReportFixtures.report(m, scenario: "nine-patterns", chaos: chaos,
                                           checks: [.init(name: "handshake", status: .skipped, detail: "no token & no check")])
        let xml = JUnitReport.render(report)
        let doc = try XMLDocument(data: Data(xml.utf8))
        let root = try #require(doc.rootElement())
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == 1)
        let suite = try #require(suites.first)
        #expect(suite.attribute(forName: "name")?.stringValue == "loadgen.nine-patterns")
        let cases = suite.elements(forName: "testcase")
        #expect(suite.attribute(forName: "tests")?.stringValue == String(cases.count))
        // 4 staging criteria + 1 check + 2 journeys + 2 patterns (the journeys' and patterns' own criteria are their cases).
        #expect(cases.count == 9)
        func testcase(_ classSuffix: String, _ name: String) -> XMLElement? {
            cases.first { $0.attribute(forName: "classname")?.stringValue == "loadgen.nine-patterns." + classSuffix
                && $0.attribute(forName: "name")?.stringValue == name }
        }
        let failures = cases.filter { !$0.elements(forName: "failure").isEmpty }
        #expect(suite.attribute(forName: "failures")?.stringValue == String(failures.count))
        let p95 = try #require(testcase("criteria", "[staging] reply.p95 < 500 ms"))
        let message = try #require(p95.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue)
        #expect(message.hasPrefix("reply.p95: actual ") && message.hasSuffix(" ms, threshold < 500 ms"))
        #expect(testcase("criteria", "[staging] errorRate < 2 %")?.elements(forName: "failure").isEmpty == false)  // 100 of 1500
        #expect(testcase("checks", "handshake")?.elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue
            == "no token & no check")
        #expect(testcase("journeys", "buyer <vip>")?.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue
            == "buyer <vip>: 100 of 1000 turns failed (10 %), threshold error rate < 2 %")
        #expect(testcase("journeys", "rider")?.elements(forName: "failure").isEmpty == true)
        #expect(testcase("patterns", "timeout")?.elements(forName: "failure").isEmpty == true)
        let broken = testcase("patterns", "no-results")?.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue
        #expect(broken == "no-results: graceful 70 % (threshold >= 99 %); wrong 0, silent 3, errored 0 of 10 turns hit")
        let properties = suite.elements(forName: "properties").first?.elements(forName: "property") ?? []
        #expect(properties.contains { $0.attribute(forName: "name")?.stringValue == "verdict" && $0.attribute(forName: "value")?.stringValue == "fail" })
    }

    @Test func controlCharactersCannotBreakTheXML() throws {
        let m = ReportFixtures.metrics(replies: [1000], persona: "bad\u{1}name\"&'")
        let doc = try XMLDocument(data: Data(JUnitReport.render(ReportFixtures.report(m)).utf8))
        let names = doc.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase")
            .compactMap { $0.attribute(forName: "name")?.stringValue } ?? []
        #expect(names.contains("badname\"&'"))
    }
}

@Suite struct MarkdownSummaryTests {
    @Test func theVerdictComesFirstThenChecksPercentilesErrorsAndPatterns() {
        var m = ReportFixtures.metrics(replies: ReportFixtures.latencies(500, medianMs: 5, seed: 1), errors: 20)
        m.patterns[.paymentFailure] = ReportFixtures.pattern(injected: 8, graceful: 8)
        let md = MarkdownSummary.render(ReportFixtures.report(m, chaos: [.inject(.paymentFailure, rate: 1)]))
        let lines = md.split(separator: "\n").map(String.init)
        #expect(lines.first == "## ❌ FAIL — loadgen `generic`")
        #expect(lines.contains { $0.hasPrefix("| ❌ | [staging] errorRate | < 2 % | 3.8462 %") })
        #expect(lines.contains { $0.hasPrefix("| reply | 500 | ") })
        #expect(lines.contains("| no_reply | 20 |"))
        #expect(lines.contains { $0.hasPrefix("| payment-failure | 8 | 8 | 0 | 0 | 0 | 0 | 100 % | ") })
        let order = ["## ", "| | criterion", "| latency (ms)", "| error class", "| pattern"].map { prefix in lines.firstIndex { $0.hasPrefix(prefix) } ?? -1 }
        #expect(order == order.sorted() && !order.contains(-1))
    }
}

@Suite struct HTMLReportTests {
    @Test func thePageEmbedsTheReportAndNothingCanCloseItsScript() throws {
        let m = ReportFixtures.metrics(replies: ReportFixtures.latencies(100, medianMs: 5, seed: 1), persona: "</script><script>alert(1)</script>")
        let html = try HTMLReport.render(ReportFixtures.report(m))
        #expect(!html.contains("__LOADGEN_REPORT_JSON__"))
        #expect(!html.contains("alert(1)</script>"))
        let start = try #require(html.range(of: #"<script id="report-data" type="application/json">"#))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = String(html[start.upperBound..<end.lowerBound])
        let embedded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        #expect(embedded.personas.first?.persona == "</script><script>alert(1)</script>")
        #expect(embedded.metrics == nil)  // the page does not carry the histograms
        #expect(!html.contains("http://") || !html.contains("<script src"))  // no network
    }
}
