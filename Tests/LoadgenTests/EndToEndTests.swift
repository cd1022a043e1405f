import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenRuntime
import Testing

/// A whole run in-process: stand-in Graph API, embedded reference bot, engine, criteria, report.
@Suite(.timeLimit(.minutes(1)))
struct EndToEndTests {
    @Test func loopbackRunAgainstTheReferenceBot() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-e2e-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--concurrency", "20", "--journeys", "5", "--think-time", "0", "--duration", "60s",
                                         "--report-dir", dir.path, "--quiet"])
        let outcome = try await run.outcome()
        let r = outcome.report
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
        #expect(r.verdict == .pass)
        #expect(r.totals.turns == 100)
        #expect(r.totals.errors == 0)
        #expect(r.totals.replies == 100)
        #expect(r.replies.matched == 100)
        #expect(r.replies.unknownUser == 0)
        for p in [r.latency.ack, r.latency.reply] {
            #expect(p.count == 100)
            #expect(p.p50 > 0)
            #expect(p.p50 <= p.p90 && p.p90 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.max)
            #expect(p.max < 5000)
        }
        #expect(r.latency.reply.p50 >= r.latency.ack.p50 * 0.5)  // a reply comes after (or about when) its ack
        #expect(r.checks.map(\.name) == ["handshake", "health", "connections", "status webhooks", "embedded bot"])
        #expect(r.checks.map(\.status) == [.pass, .pass, .pass, .pass, .pass])
        #expect(r.delivery.statusCallbacks == Report.StatusCallbackCounts(sent: 300, failed: 0, dropped: 0))  // sent, delivered, read for each reply

        // The report on disk is the contract: schema v1 with DESIGN.md's keys.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outcome.reportPath))) as? [String: Any]
        #expect(json?["schemaVersion"] as? Int == 1)
        #expect(json?["verdict"] as? String == "pass")
        let runInfo = json?["run"] as? [String: Any]
        #expect(runInfo?["scenario"] as? String == "generic")
        #expect(runInfo?["concurrency"] as? Int == 20)
        let totals = json?["totals"] as? [String: Any]
        for key in ["turns", "errors", "errorRate", "replies", "fallbackRate", "successRate"] { #expect(totals?[key] != nil, Comment(rawValue: "totals.\(key)")) }
        let latency = json?["latency"] as? [String: [String: Any]]
        for metric in ["ack", "reply"] {
            for key in ["count", "p50", "p90", "p95", "p99", "max"] { #expect(latency?[metric]?[key] != nil, Comment(rawValue: "\(metric).\(key)")) }
        }
        let errors = json?["errorsByClass"] as? [String: Int]
        for key in ["http_5xx", "timeout", "no_reply", "http_4xx", "connect", "bad_reply"] { #expect(errors?[key] == 0, Comment(rawValue: key)) }
        let criteria = json?["criteria"] as? [[String: Any]]
        #expect(criteria?.first?["name"] as? String == "errorRate")
        #expect(criteria?.first?["threshold"] as? String == "< 2 %")
    }

    @Test func ackOnlyModeAgainstTheReferenceBot() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-e2e-none-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--concurrency", "5", "--journeys", "4", "--think-time", "0", "--replies", "none",
                                         "--report-dir", dir.path, "--quiet"])
        let outcome = try await run.outcome()
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
        #expect(outcome.report.totals.turns == 20)
        #expect(outcome.report.latency.ack.count == 20)
        #expect(outcome.report.latency.reply.count == 0)
        #expect(outcome.report.criteria.first { $0.name == "reply.p95" }?.status == .skipped)
    }

    @Test func everyEasyMOJourneyCompletesAgainstTheReferenceBot() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-e2e-journeys-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--scenario", "easymo-journeys", "--concurrency", "33", "--journeys", "3", "--reorder", "0.5",
                                         "--think-time", "0", "--duration", "60s", "--report-dir", dir.path, "--quiet"])
        let outcome = try await run.outcome()
        let r = outcome.report
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
        #expect(r.totals.errors == 0)
        #expect(r.totals.journeys == 99)
        #expect(r.totals.journeysSucceeded == 99)
        // Every persona ran, the username-only rider was answered by BSUID, and the handoff moved orders.
        #expect(Set(r.personas.map(\.persona)) == ["buyer", "station", "vendor", "driver", "admin", "support", "hurried-buyer", "rider"])
        #expect(r.delivery.reordered > 0)
        #expect(r.personas.first { $0.persona == "rider" }?.errors == 0)
        // Stations find pending orders only once buyers have paid (timing decides how many): every station
        // turn, on whichever branch, passed.
        #expect(r.personas.first { $0.persona == "station" }.map { $0.turns > 0 && $0.errors == 0 } == true)
        #expect(r.replies.unknownUser == 0)
    }

    @Test func duplicatesAndStatusesAgainstTheReferenceBotGetExactlyOneReplyPerMessage() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-e2e-dup-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--concurrency", "10", "--journeys", "6", "--think-time", "0", "--duplicates", "0.5",
                                         "--criteria", "staging,replies.unsolicited<=0,replies.duplicate<=0",
                                         "--report-dir", dir.path, "--quiet"])
        let outcome = try await run.outcome()
        let r = outcome.report
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
        #expect(r.delivery.duplicatesSent > 10)
        #expect(r.replies.matched == 60)
        #expect(r.replies.unsolicited == 0 && r.replies.duplicate == 0)
        #expect((r.delivery.statusCallbacks?.sent ?? 0) > 0)
        #expect(r.delivery.statusCallbacks?.failed == 0)
    }

    @Test func anOpenModelRunReportsIntendedTimeLatencyAndArrivals() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-e2e-open-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--rate", "100", "--duration", "2s", "--think-time", "0", "--report-dir", dir.path, "--quiet"])
        let outcome = try await run.outcome()
        let r = outcome.report
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
        #expect(r.run.model == .open)
        #expect(r.arrivals?.planned == 200)
        #expect(r.arrivals?.dropped == 0)
        #expect(r.totals.turns == 200)
        #expect(r.totals.errors == 0)
    }

    @Test func batchedDeliveriesAreAnsweredMessageByMessage() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-e2e-batch-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--concurrency", "20", "--journeys", "3", "--think-time", "0", "--batch", "5",
                                         "--statuses", "off", "--report-dir", dir.path, "--quiet"])
        let outcome = try await run.outcome()
        let r = outcome.report
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
        #expect(r.totals.turns == 60 && r.totals.errors == 0)
        #expect(r.delivery.batches > 0 && r.delivery.batches < 60)  // several messages per POST
        #expect(r.replies.matched == 60)
        #expect(r.delivery.statusCallbacks == nil)
    }

    @Test func chaosIsInjectedIntoTheBotsUpstreamsAndJudgedPerPattern() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-e2e-chaos-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--scenario", "easymo-journeys", "--concurrency", "22", "--journeys", "3", "--think-time", "0",
                                         "--chaos", "payment-failure=1,invalid-input=0.2,agent-unavailable=0.2",
                                         "--criteria", "chaos.gracefulRate>=0.99,chaos.activation.p95<500ms",
                                         "--report-dir", dir.path, "--quiet"])
        let outcome = try await run.outcome()
        let r = outcome.report
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
        let byName = Dictionary(uniqueKeysWithValues: r.patterns.map { ($0.pattern, $0) })
        for name in ["payment-failure", "invalid-input", "agent-unavailable"] {
            #expect((byName[name]?.injected ?? 0) > 0, Comment(rawValue: name))
            #expect(byName[name]?.graceful == byName[name]?.injected, Comment(rawValue: name))
            #expect(byName[name]?.silent == 0 && byName[name]?.wrong == 0, Comment(rawValue: name))
        }
        #expect(r.phases.keys.sorted() == ["fault"])  // no windows: the whole run is under fault
        #expect(r.criteria.allSatisfy { $0.passed })
    }

    @Test func chaosAtUpstreamsNeedsTheEmbeddedBot() {
        #expect(throws: (any Error).self) {
            try Loadgen.Run.parse(["--target", "http://127.0.0.1:9/webhook", "--chaos", "ai-service-down=0.2"])
        }
        #expect(throws: Never.self) {
            try Loadgen.Run.parse(["--target", "http://127.0.0.1:9/webhook", "--chaos", "invalid-input=0.2"])
        }
    }

}

/// The nine-pattern drill catches regressions: for each pattern, a reference bot with that one fallback
/// broken (`--bot-defect`) fails the drill, and the report names exactly that pattern. The nine runs go
/// in parallel, each with short disjoint fault windows, so no turn is hit by two patterns.
@Suite(.timeLimit(.minutes(3)))
struct DefectDetectionTests {
    // Every call in a window fails, so no retry absorbs the fault; the last window (vendor notifications,
    // whose retries take 1.2 s) stays open to the end.
    static let windows = FailurePatternWindows.nine(first: 0, every: 1.5, length: 1.2)

    static func drill(defect: FailurePattern?) async throws -> RunOutcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-defect-\(getpid())-\(defect?.rawValue ?? "none")")
        defer { try? FileManager.default.removeItem(at: dir) }
        var args = ["--scenario", "nine-patterns", "--concurrency", "30", "--duration", "14s", "--think-time", "0.45s-0.55s",
                    "--reply-timeout", "6s", "--chaos", windows, "--statuses", "off", "--report-dir", dir.path, "--quiet"]
        if let defect { args += ["--bot-defect", defect.rawValue] }
        // Think time keeps each user under the bot's 30 messages a minute: 429s would blur the judging.
        return try await Loadgen.Run.parse(args).outcome()
    }

    @Test func eachDefectFailsExactlyItsOwnPattern() async throws {
        // Five drills at a time (about 300 turns/s in all, a third of two cores): nine at once would starve
        // the cores on a busy machine and blur the timing the drill judges.
        var outcomes: [FailurePattern: RunOutcome] = [:]
        for batch in [Array(FailurePattern.allCases[..<5]), Array(FailurePattern.allCases[5...])] {
            try await withThrowingTaskGroup(of: (FailurePattern, RunOutcome).self) { group in
                for pattern in batch { group.addTask { (pattern, try await Self.drill(defect: pattern)) } }
                for try await (pattern, outcome) in group { outcomes[pattern] = outcome }
            }
        }
        for pattern in FailurePattern.allCases {
            let report = try #require(outcomes[pattern]).report
            let broken = report.patterns.filter { $0.gracefulRate < 0.99 }.map(\.pattern)
            #expect(outcomes[pattern]?.status == .criteriaFailed, Comment(rawValue: pattern.rawValue))
            #expect(broken == [pattern.rawValue], Comment(rawValue: "defect \(pattern.rawValue): broken \(broken)"))
        }
    }
}
