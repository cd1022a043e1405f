import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOHTTP1
import Synchronization
import Testing

/// `loadgen smoke` in-process against the embedded reference bot: it passes on a good bot, and each
/// check fails on exactly the fault it exists to catch.
@Suite(.timeLimit(.minutes(1)))
struct SmokeCommandTests {
    /// A short, fast smoke run (1 s of load) against the embedded bot.
    static func smoke(_ extra: [String], dir: String) async throws -> RunOutcome {
        let command = try Loadgen.Smoke.parse(["--duration", "1s", "--think-time", "0.2s", "--quiet", "--report-dir", dir] + extra)
        return try await command.outcome()
    }

    static func tempDir(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-smoke-\(name)-\(getpid())")
    }

    static func numbersFile(_ text: String, name: String) throws -> URL {
        let url = tempDir(name).appendingPathExtension("txt")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func passesAgainstTheReferenceBot() async throws {
        let dir = Self.tempDir("pass")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try await Self.smoke([], dir: dir.path)
        let r = outcome.report
        #expect(r.checks.map(\.name) == ["health", "handshake", "signature", "statuses", "agent routing", "menu fallback", "fallback: invalid input",
                                      "connections", "embedded bot"])
        #expect(r.checks.allSatisfy { $0.status == .pass }, "\(r.checks)")
        #expect(r.checks.first { $0.name == "agent routing" }?.detail.contains("1 LLM call") == true)
        #expect(r.checks.first { $0.name == "menu fallback" }?.detail.contains("0 LLM calls") == true)
        #expect(outcome.status == .pass)
        #expect(r.verdict == .pass)
        #expect(r.totals.turns > 0 && r.totals.errors == 0)
        #expect(r.criteria.map(\.preset).contains("prod"))
        #expect(r.smoke?.env == .staging)
        #expect(r.smoke?.tagHeader == "X-Loadgen-Smoke")
        // On disk: the checklist and the smoke section, and no secret.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outcome.reportPath))) as? [String: Any]
        #expect((json?["checks"] as? [[String: Any]])?.count == 9)
        #expect((json?["smoke"] as? [String: Any])?["runID"] as? String == r.smoke?.runID)
    }

    @Test func theSignatureCheckFailsWhenTheBotStopsCheckingSignatures() async throws {
        let dir = Self.tempDir("nosig")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try await Self.smoke(["--insecure-bot-skips-signature-check"], dir: dir.path)
        let failed = outcome.report.checks.filter { $0.status == .fail }
        #expect(failed.map(\.name) == ["signature"])
        #expect(failed.first?.detail == "accepted an unsigned delivery (HTTP 200); accepted a badly signed delivery (HTTP 200)")
        #expect(outcome.status == .criteriaFailed)
        #expect(outcome.report.verdict == .fail)
    }

    @Test func theHealthCheckFailsOnADegradedProbe() async throws {
        let dir = Self.tempDir("health")
        defer { try? FileManager.default.removeItem(at: dir) }
        let worker = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await worker.run(DegradedWorker()); return nil }
            defer { group.cancelAll() }
            return try await Self.smoke(["--health", worker.baseURL + "/health"], dir: dir.path)
        }
        let checks = outcome.report.checks
        #expect(checks.filter { $0.status == .fail }.map(\.name) == ["health \(worker.baseURL)/health"])
        #expect(checks.first { $0.status == .fail }?.detail == "HTTP 503")
        #expect(checks.first?.status == .pass)  // the embedded bot's own /health is still fine
        #expect(outcome.report.criteria.first { $0.name == "health" }?.passed == false)
        #expect(outcome.status == .criteriaFailed)
    }

    /// In production a failed check stops the smoke test before its load: a sick bot gets no traffic.
    /// The health probe carries the smoke tag like every other request.
    @Test func productionGivesNoLoadToABotThatFailedACheck() async throws {
        let dir = Self.tempDir("prod-stop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.numbersFile("+250788123456\n", name: "prod-stop")
        defer { try? FileManager.default.removeItem(at: file) }
        let worker = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let probes = RecordingHealth()
        let lines = Mutex<[String]>([])
        let command = try Loadgen.Smoke.parse(["--env", "prod", "--test-numbers", file.path, "--health", worker.baseURL + "/health",
                                               "--duration", "5s", "--quiet", "--report-dir", dir.path])
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await worker.run(probes); return nil }
            defer { group.cancelAll() }
            return try await command.outcome(log: { line in lines.withLock { $0.append(line) } })
        }
        #expect(outcome.report.checks.contains { $0.name.hasPrefix("health ") && $0.status == .fail })
        #expect(outcome.report.totals.turns == 0)  // no measured load
        #expect(lines.withLock { $0 }.contains { $0.hasPrefix("skipping the measured load: health ") })
        #expect(outcome.status == .criteriaFailed)
        #expect(probes.tags == [outcome.report.smoke?.runID])
    }

    @Test func rolloutPutsNumbersInsideFirstAndFailsWhenNoneIs() async throws {
        let file = try Self.numbersFile("# EasyMO's vectors\n+250788123456\n+250780000000\n+250788000001 # bucket 41\n", name: "rollout")
        defer { try? FileManager.default.removeItem(at: file) }
        let inside = try Loadgen.Smoke.parse(["--test-numbers", file.path, "--rollout-percent", "50"])
        let (plan, _) = try inside.plan(environment: [:])
        #expect(plan.run.workload.users.map(\.phone) == ["250788000001", "250788123456", "250780000000"])
        #expect(plan.report.rollout?.numbers.map(\.bucket) == [71, 98, 41])

        let dir = Self.tempDir("rollout")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try await Self.smoke(["--test-numbers", file.path, "--rollout-percent", "1"], dir: dir.path)
        let rollout = outcome.report.checks.first { $0.name == "rollout" }
        #expect(rollout?.status == .fail)
        #expect(rollout?.detail.contains("none of the test numbers is inside the 1 % rollout") == true)
        #expect(outcome.status == .criteriaFailed)
    }

    @Test func everyDeliveryIsTaggedAndRepliesNoneJudgesAcksOnly() async throws {
        let dir = Self.tempDir("tags")
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let seen = RecordingTarget()
        let command = try Loadgen.Smoke.parse(["--target", target.baseURL + "/webhook", "--replies", "none", "--duration", "1s",
                                               "--think-time", "0.2s", "--quiet", "--report-dir", dir.path])
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await target.run(seen); return nil }
            defer { group.cancelAll() }
            return try await command.outcome(environment: ["WHATSAPP_APP_SECRET": "s3cret"])
        }
        let requests = seen.requests
        #expect(requests.count > 10)
        #expect(requests.allSatisfy { $0.tag == outcome.report.smoke?.runID })
        #expect(requests.filter { $0.post }.allSatisfy { $0.body.contains("\"loadgen-smoke\"") || $0.body.contains("statuses") })
        // This target accepts anything: the signature check catches it; the reply checks are skipped.
        let byName = Dictionary(uniqueKeysWithValues: outcome.report.checks.map { ($0.name, $0.status) })
        #expect(byName["signature"] == .fail)
        #expect(byName["agent routing"] == .skipped)
        #expect(byName["statuses"] == .pass)
    }
}

/// An EasyMO worker whose Redis probe fails.
struct DegradedWorker: HTTPResponder {
    func respond(to request: ServerRequest) async -> ServerResponse {
        .json(.serviceUnavailable, Array(#"{"status":"degraded","checks":{"openai":{"status":"ok"},"redis":{"status":"fail"}}}"#.utf8))
    }
}

/// A degraded health endpoint that remembers the smoke tag of each probe.
final class RecordingHealth: HTTPResponder {
    private let seen = Mutex<[String?]>([])
    var tags: [String?] { seen.withLock { $0 } }
    func respond(to request: ServerRequest) async -> ServerResponse {
        seen.withLock { $0.append(request.headers.first(name: "X-Loadgen-Smoke")) }
        return await DegradedWorker().respond(to: request)
    }
}

/// A target that acks everything and remembers each request's smoke tag and body.
final class RecordingTarget: HTTPResponder {
    struct Seen: Sendable { var post: Bool, tag: String?, body: String }
    private let seen = Mutex<[Seen]>([])
    var requests: [Seen] { seen.withLock { $0 } }

    func respond(to request: ServerRequest) async -> ServerResponse {
        seen.withLock { $0.append(Seen(post: request.method == .POST, tag: request.headers.first(name: "X-Loadgen-Smoke"),
                                      body: String(decoding: request.body, as: UTF8.self))) }
        return .text(.ok, "ok")
    }
}
