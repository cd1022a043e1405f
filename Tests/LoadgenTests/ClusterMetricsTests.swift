import Foundation
import LoadgenCore
import Testing

/// Live metrics add up across pods: two real shards' figures, rendered as each shard's `/metrics` renders
/// them and added as Prometheus adds series (`sum without (shard)`), equal the merged report of the same
/// two shards (`loadgen merge`) — turns, errors, replies, and the latency buckets at every edge.
@Suite(.timeLimit(.minutes(2)))
struct ClusterMetricsTests {
    /// One sample of an exposition: `name{labels} value`.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: String
    }

    /// A Prometheus text exposition's samples (label values here hold no escaped quotes or commas).
    static func samples(_ text: String) -> [Sample] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { return nil }
            var labels: [String: String] = [:]
            for pair in line[line.index(after: open)..<close].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(line[..<open]), labels: labels, value: String(line[line.index(close, offsetBy: 2)...]))
        }
    }

    /// Seconds with up to six decimals (as loadgen writes them) in whole microseconds, exactly.
    static func micros(_ seconds: String) -> UInt64 {
        let parts = seconds.split(separator: ".", maxSplits: 1)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return UInt64(parts[0])! * 1_000_000 + UInt64(fraction + String(repeating: "0", count: 6 - fraction.count))!
    }

    /// `sum without (shard) (…)`: the shards' samples added, keyed by name and the labels left.
    static func sumWithoutShard(_ scrapes: [[Sample]]) -> [String: UInt64] {
        var sums: [String: UInt64] = [:]
        for sample in scrapes.joined() where !sample.value.contains("NaN") {
            let labels = sample.labels.filter { $0.key != "shard" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let key = sample.name + "{" + labels.joined(separator: ",") + "}"
            sums[key, default: 0] += sample.name.hasSuffix("_sum") ? micros(sample.value) : UInt64(sample.value) ?? 0
        }
        return sums
    }

    /// What shard `report`'s `/metrics` said at its end: its metrics rendered as LiveMetrics renders them.
    static func scrape(of report: Report) throws -> String {
        let metrics = try #require(report.metrics)
        var sampler = TimelineSampler(interval: .seconds(1))
        let point = sampler.sample(metrics, at: .seconds(1), activeUsers: 0, faultsOpen: [])
        let progress = Progress(elapsed: .seconds(1), duration: .seconds(1), activeUsers: 0, metrics: metrics, latest: point, interval: .seconds(1))
        return PrometheusText.render(progress, scenario: report.run.scenario, shard: report.run.shard.flatMap(Shard.init), faults: [])
    }

    @Test func twoShardsScrapesAddUpToTheirMergedReport() throws {
        let root = ReportCommandsTests.tempDir("cluster-metrics")
        defer { try? FileManager.default.removeItem(at: root) }
        // Half the turns carry invalid input the bot was built not to answer: no_reply errors, and replies.
        for shard in ["0/2", "1/2"] {
            let o = try CommandLineTests.run([
                "--concurrency", "16", "--journeys", "6", "--think-time", "0", "--reply-timeout", "300ms", "--seed", "3",
                "--chaos", "invalid-input=0.5", "--bot-defect", "invalid-input", "--shard", shard, "--quiet",
                "--report-dir", root.appendingPathComponent("shard-\(shard.prefix(1))").path,
            ])
            #expect(o.status == 1, "the defect fails the shard's criteria: \(o.stderr)")
        }
        let shardFiles = ["shard-0", "shard-1"].map { root.appendingPathComponent("\($0)/report.json") }
        let m = try CommandLineTests.run(["merge"] + shardFiles.map(\.path) + ["--output", root.appendingPathComponent("merged").path])
        #expect(m.status == 1, "\(m.stdout)\(m.stderr)")
        let merged = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("merged/report.json"))) as? [String: Any])

        let reports = try shardFiles.map { try JSONDecoder().decode(Report.self, from: Data(contentsOf: $0)) }
        let scrapes = try reports.map { Self.samples(try Self.scrape(of: $0)) }
        #expect(scrapes[0].allSatisfy { $0.labels["shard"] == "0/2" } && scrapes[1].allSatisfy { $0.labels["shard"] == "1/2" })
        let sum = Self.sumWithoutShard(scrapes)
        let s = "scenario=generic"

        let totals = try #require(merged["totals"] as? [String: Any]), errors = try #require(merged["errorsByClass"] as? [String: Int])
        #expect(totals["turns"] as? Int == 96 && totals["errors"] as? Int ?? 0 > 0 && totals["replies"] as? Int ?? 0 > 0, "\(totals)")
        #expect(sum["loadgen_turns_total{\(s)}"] == UInt64(totals["turns"] as? Int ?? -1))
        #expect(sum["loadgen_error_turns_total{\(s)}"] == UInt64(totals["errors"] as? Int ?? -1))
        #expect(sum["loadgen_replies_total{\(s)}"] == UInt64(totals["replies"] as? Int ?? -1))
        #expect(sum["loadgen_fallback_replies_total{\(s)}"] == UInt64(totals["fallbackReplies"] as? Int ?? -1))
        for (errorClass, count) in errors { #expect(sum["loadgen_errors_total{class=\(errorClass),\(s)}"] == UInt64(count), "\(errorClass)") }
        #expect(errors["no_reply"] ?? 0 > 0)

        // Each latency bucket, from the merged report's own histogram (value, count pairs; each value the
        // highest of its HDR bucket): the values at or below the edge.
        let mergedMetrics = try #require(JSONDecoder().decode(Report.self, from: Data(contentsOf: root.appendingPathComponent("merged/report.json"))).metrics)
        for (name, key, histogram) in [("loadgen_ack_seconds", "ack", mergedMetrics.ack), ("loadgen_reply_seconds", "reply", mergedMetrics.reply)] {
            let flat = try #require((merged["metrics"] as? [String: Any]).flatMap { $0[key] as? [String: Any] }?["buckets"] as? [UInt64])
            let pairs = stride(from: 0, to: flat.count, by: 2).map { (value: flat[$0], count: flat[$0 + 1]) }
            let count = pairs.reduce(0) { $0 + $1.count }
            #expect(count > 0 && count == UInt64((merged["latency"] as? [String: [String: Any]])?[key]?["count"] as? Int ?? -1))
            for edge in PrometheusText.latencyBucketEdges {
                let le = PrometheusText.seconds(microseconds: edge)
                let expected = pairs.filter { $0.value <= edge }.reduce(0) { $0 + $1.count }
                #expect(sum["\(name)_bucket{le=\(le),\(s)}"] == expected, "\(name) le=\(le)")
            }
            #expect(sum["\(name)_bucket{le=+Inf,\(s)}"] == count && sum["\(name)_count{\(s)}"] == count)
            #expect(sum["\(name)_sum{\(s)}"] == histogram.sumMicroseconds, "\(name)_sum adds up, in whole microseconds")
        }
    }

    /// Every series the Grafana board queries is one loadgen serves, with the labels it has; every `le`
    /// it reads is a bucket edge.
    @Test func theGrafanaBoardQueriesWhatTheMetricsServe() throws {
        let file = PythonEnvironment.root.appendingPathComponent("deploy/grafana/loadgen-dashboard.json")
        let board = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let expressions = (board["panels"] as? [[String: Any]] ?? []).flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 10)
        var metrics = RunMetrics()
        metrics.reply.record(.milliseconds(3))
        var sampler = TimelineSampler(interval: .seconds(1))
        let point = sampler.sample(metrics, at: .seconds(1), activeUsers: 1, faultsOpen: [])
        let text = PrometheusText.render(Progress(elapsed: .seconds(1), duration: .seconds(2), activeUsers: 1, metrics: metrics, latest: point,
                                                  interval: .seconds(1)), scenario: "generic", shard: Shard("0/2"), faults: ["timeout"])
        let served = Self.samples(text)
        let names = Set(served.map(\.name)), labels = Set(served.flatMap(\.labels.keys)), edges = Set(served.compactMap { $0.labels["le"] })
        for expression in expressions {
            let used = expression.split { !($0.isLetter || $0.isNumber || $0 == "_") }.filter { $0.hasPrefix("loadgen_") }
            #expect(!used.isEmpty, "\(expression)")
            for name in used { #expect(names.contains(String(name)), "\(name) in \(expression)") }
            for part in expression.components(separatedBy: "le=\"").dropFirst() {
                #expect(edges.contains(String(part.prefix { $0 != "\"" })), "\(expression)")
            }
            for group in expression.components(separatedBy: " by (").dropFirst() {
                for label in group.prefix(while: { $0 != ")" }).split(separator: ",") { #expect(labels.contains(label.trimmingCharacters(in: .whitespaces))) }
            }
        }
    }
}
