import Foundation
import LoadgenCore
import Testing

/// `graphLimits` in the report: absent without `--graph-limits` (a default report's keys and text are
/// as before), present and shown in the console summary and summary.md with it, added up by merge.
@Suite struct GraphLimitsReportTests {
    static func report(_ limits: GraphLimitCounts?) -> Report {
        var r = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(100, medianMs: 5, seed: 1)))
        r.graphLimits = limits
        return r
    }

    @Test func withoutLimitsNothingIsSaidAndNoKeyIsWritten() throws {
        let r = Self.report(nil)
        #expect(!ConsoleSummary.render(r).contains("Meta's limits"))
        #expect(!MarkdownSummary.render(r).contains("Meta's limit"))
        let json = try #require(try JSONSerialization.jsonObject(with: r.jsonBytes()) as? [String: Any])
        #expect(json["graphLimits"] == nil)
    }

    @Test func withLimitsEveryHumanFormatShowsTheHits() throws {
        let r = Self.report(GraphLimitCounts(pairRate: 31, pairRateFailed: 5, throughput: 2, window: 7))
        let console = ConsoleSummary.render(r).split(separator: "\n").map(String.init)
        #expect(console.contains("Meta's limits hit: pair rate 31 refused + 5 failed later (131056), throughput 2 (130429), window 7 (131047, failed statuses)"))
        let md = MarkdownSummary.render(r).split(separator: "\n").map(String.init)
        let table = ["| Meta's limit | code | hits | how the bot heard |", "|---|---|--:|---|", "| pair rate | 131056 | 31 | refused (HTTP 429) |",
                     "| pair rate, just past the bucket | 131056 | 5 | accepted, then a `failed` status |",
                     "| throughput | 130429 | 2 | refused (HTTP 429) |", "| 24-hour window | 131047 | 7 | accepted, then a `failed` status |"]
        let start = try #require(md.firstIndex(of: table[0]))
        #expect(Array(md[start..<start + table.count]) == table)
        let json = try #require(try JSONSerialization.jsonObject(with: r.jsonBytes()) as? [String: Any])
        #expect(json["graphLimits"] as? NSDictionary == ["pairRate": 31, "pairRateFailed": 5, "throughput": 2, "window": 7])
        #expect(try HTMLReport.render(r).contains(#""graphLimits":{"pairRate":31,"pairRateFailed":5,"throughput":2,"window":7}"#))
        #expect(try ReportFixtures.roundTrip(r).graphLimits == r.graphLimits)
    }

    @Test func mergeAddsTheShardsHits() throws {
        let a = try ReportFixtures.roundTrip(Self.report(GraphLimitCounts(pairRate: 1, pairRateFailed: 4, throughput: 2, window: 3)))
        let b = try ReportFixtures.roundTrip(Self.report(GraphLimitCounts(pairRate: 10, pairRateFailed: 40, throughput: 20, window: 30)))
        #expect(try ReportMerge.merge([("a", a), ("b", b)]).graphLimits == GraphLimitCounts(pairRate: 11, pairRateFailed: 44, throughput: 22, window: 33))
        #expect(try ReportMerge.merge([("a", a), ("none", Self.report(nil))]).graphLimits
            == GraphLimitCounts(pairRate: 1, pairRateFailed: 4, throughput: 2, window: 3))
        #expect(try ReportMerge.merge([("x", Self.report(nil)), ("y", Self.report(nil))]).graphLimits == nil)
    }
}
