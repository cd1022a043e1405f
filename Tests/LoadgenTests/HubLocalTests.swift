import Foundation
import Testing

/// Issue 13's done-when, on loopback with the built binary: a hub and three shard processes against one
/// external bot (the reference bot of `loadgen serve`, its Graph base URL at the hub, its LLM behind the
/// hub's fault proxy), then `loadgen merge`. Every address is bound at port 0 and read from the
/// processes' output; nothing sleeps. (`scripts/hub-local.sh` does the same by hand.)
@Suite(.timeLimit(.minutes(1)))
struct HubLocalTests {
    static let secrets = ["WHATSAPP_APP_SECRET": "hub-app-secret", "WHATSAPP_VERIFY_TOKEN": "hub-verify", "WHATSAPP_ACCESS_TOKEN": "EAAhub"]
    /// The run every process is told about alike; the LLM fault opens 0.8 s into it, at the hub's proxy.
    static let run = ["--scenario", "nine-patterns", "--concurrency", "6", "--duration", "2s", "--think-time", "0.1s-0.3s", "--seed", "7",
                      "--chaos", "ai-service-down=1@0.8s-"]

    @Test func threeShardsOfOneBotMergeIntoTheRunOneProcessWouldHaveMeasured() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-hub-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The bot's real LLM: the stand-in upstreams of another `loadgen serve`, behind the hub's fault proxy.
        let upstreams = try Launched(["serve", "--listen", "127.0.0.1:0", "--secrets-file", dir.appendingPathComponent("u.env").path])
        defer { upstreams.kill() }
        let llm = try upstreams.url(onLine: "stand-in upstreams")
        let hub = try Launched(["hub", "--shards", "3", "--listen", "127.0.0.1:0", "--graph-listen", "127.0.0.1:0", "--start-delay", "0.5s",
                                "--upstream", "llm=\(llm)@127.0.0.1:0"] + Self.run)
        defer { hub.kill() }
        let graph = try hub.url(onLine: "stand-in Graph API listening on")
        let proxy = try hub.url(onLine: "fault proxy for the bot's llm upstream", after: "listening on ")
        let hubURL = try hub.url(onLine: "hub listening for 3 shards on")
        let bot = try Launched(["serve", "--listen", "127.0.0.1:0", "--graph-url", "\(graph)/v20.0", "--llm-url", proxy, "--rate-limit", "600"])
        defer { bot.kill() }
        let webhook = try bot.url(onLine: "reference bot: webhook") + "/webhook"

        let shards = try (0..<3).map { i in
            try Launched(["run", "--hub", hubURL, "--shard", "\(i)/3", "--target", webhook] + Self.run
                + ["--report-dir", dir.appendingPathComponent("shard-\(i)").path, "--quiet"])
        }
        for (i, shard) in shards.enumerated() {
            let said = shard.finish()
            #expect(shard.process.terminationStatus == 0, "shard \(i): \(said)")
        }
        let hubSaid = hub.finish()
        #expect(hub.process.terminationStatus == 0, "\(hubSaid)")
        #expect(hubSaid.contains("starting all 3 shards at") && hubSaid.contains("all 3 shards finished"), "\(hubSaid)")
        let merge = try CommandLineTests.run(["merge"] + (0..<3).map { dir.appendingPathComponent("shard-\($0)").path }
            + ["-o", dir.appendingPathComponent("merged").path])
        #expect(merge.status == 0, "\(merge.stderr)\(merge.stdout)")
        let single = try CommandLineTests.run(Self.run + ["--report-dir", dir.appendingPathComponent("single").path, "--quiet"])

        let parts = try (0..<3).map { try Report(dir.appendingPathComponent("shard-\($0)")) }
        let merged = try Report(dir.appendingPathComponent("merged"))
        // Every reply reached the shard that owns its user: none unknown, none missing.
        #expect(merged.replies["unknownUser"] == 0 && merged.errors["no_reply"] == 0 && merged.errors["hub_lost"] == 0, "\(merged.replies) \(merged.errors)")
        #expect(merged.totals["turns"]! > 20 && merged.totals["errors"] == 0)
        // The merged counts are the shards' sums.
        for (name, value) in [("turns", \Report.turns), ("replies", \.matched), ("statuses", \.statusesSent), ("hits", \.injected)] as [(String, KeyPath<Report, Int>)] {
            #expect(merged[keyPath: value] == parts.map { $0[keyPath: value] }.reduce(0, +), "\(name)")
        }
        // One verdict: the single process's for the same scenario, seed and chaos.
        #expect(single.status == 0 && merged.verdict == "pass", "\(single.stdout)")
        // The patterns are judged across shards: the hub's proxy hit turns of every shard, each judged graceful.
        #expect(merged.injected > 0 && merged.graceful == merged.injected && merged.untraced == nil)
        // Their windows line up: one start, one clock, and the turns the hub's fault hit are the turns the
        // shards counted in the fault phase (give or take a turn sent as the window opened).
        #expect(Set(parts.map(\.start)).count == 1)
        for part in parts { #expect(abs(part.clockOffset) <= part.clockUncertainty + 1, "\(part.clockOffset) ± \(part.clockUncertainty) ms") }
        #expect(merged.fallbacks(in: "baseline") <= 1 && merged.fallbacks(in: "fault") >= merged.injected - 1,
                "\(merged.fallbacks(in: "baseline")) \(merged.fallbacks(in: "fault")) \(merged.injected)")
    }

    /// A `loadgen` process of the test, its secrets in its environment, its output read as it comes.
    final class Launched {
        let process: Process
        let stderr: FileHandle
        let stdout: FileHandle
        private var seen = ""

        init(_ arguments: [String]) throws {
            process = Process()
            process.executableURL = CommandLineTests.binary
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(HubLocalTests.secrets) { $1 }
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            stdout = out.fileHandleForReading
            stderr = err.fileHandleForReading
        }

        /// The first `http://…` after `after` on the line of stderr that contains `marker`, reading until it comes.
        func url(onLine marker: String, after: String = "") throws -> String {
            var line: Substring?
            while line == nil {
                line = seen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first { $0.contains(marker) }
                if line == nil {
                    let chunk = stderr.availableData
                    if chunk.isEmpty { break }  // it ended without saying it
                    seen += String(decoding: chunk, as: UTF8.self)
                }
            }
            let found = try #require(line, "no '\(marker)' in:\n\(seen)")
            let rest = found.range(of: after).map { found[$0.upperBound...] } ?? found
            let start = try #require(rest.range(of: "http://"), "no URL in '\(found)'")
            var url = rest[start.lowerBound...].prefix { !" ;,)".contains($0) }
            while url.hasSuffix("/") || url.hasSuffix(":") { url = url.dropLast() }
            return String(url)
        }

        /// Everything it said, once it has ended.
        func finish() -> String {
            let rest = String(decoding: stderr.readDataToEndOfFile(), as: UTF8.self)
            let out = String(decoding: stdout.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return seen + rest + out
        }

        /// Ends it for sure (a child of the test runner inherits its blocked SIGTERM).
        func kill() {
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// What the test reads of a report.json.
    struct Report {
        let json: [String: Any]
        init(_ dir: URL) throws {
            json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any])
        }
        private func object(_ key: String) -> [String: Any] { json[key] as? [String: Any] ?? [:] }
        var totals: [String: Int] { object("totals").compactMapValues { $0 as? Int } }
        var errors: [String: Int] { object("errorsByClass").compactMapValues { $0 as? Int } }
        var replies: [String: Int] { object("replies").compactMapValues { $0 as? Int } }
        var verdict: String { json["verdict"] as? String ?? "" }
        var turns: Int { totals["turns"] ?? -1 }
        var matched: Int { replies["matched"] ?? -1 }
        var statusesSent: Int { (object("delivery")["statusCallbacks"] as? [String: Any])?["sent"] as? Int ?? -1 }
        private var pattern: [String: Any] { (json["patterns"] as? [[String: Any]])?.first { $0["pattern"] as? String == "ai-service-down" } ?? [:] }
        var injected: Int { pattern["injected"] as? Int ?? 0 }
        var graceful: Int { pattern["graceful"] as? Int ?? 0 }
        var untraced: Int? { pattern["untraced"] as? Int }
        private var hub: [String: Any] { object("run")["hub"] as? [String: Any] ?? [:] }
        var start: String { hub["start"] as? String ?? "" }
        var clockOffset: Double { hub["clockOffsetMilliseconds"] as? Double ?? .infinity }
        var clockUncertainty: Double { hub["clockUncertaintyMilliseconds"] as? Double ?? 0 }
        func fallbacks(in phase: String) -> Int { (object("phases")[phase] as? [String: Any])?["fallbacks"] as? Int ?? 0 }
    }
}
