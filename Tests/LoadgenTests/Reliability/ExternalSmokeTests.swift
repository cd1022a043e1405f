import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import ReferenceBot
import Testing

/// `loadgen smoke --target` against the reference bot served as a bot nobody here wrote would be: on
/// its own port, its upstreams out of loadgen's sight. Every check judges only what it can observe —
/// the AI calls behind "agent routing" cannot be seen there, and the check says so instead of failing
/// on evidence it never had.
@Suite(.timeLimit(.minutes(1)))
struct ExternalSmokeTests {
    @Test func aSmokeTestOfAnExternalBotJudgesOnlyWhatItCanSee() async throws {
        let graphPort = try await ProxiedChaosTests.freePort()
        let upstreams = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let secret = "external-smoke-secret", token = "external-smoke-token"
        var config = BotConfiguration(appSecret: Secret(secret), verifyToken: Secret(token), accessToken: Secret("t"),
                                      graphBaseURL: try TargetURL("http://127.0.0.1:\(graphPort)/v20.0"))
        config.upstreams = .http(try TargetURL(upstreams.baseURL))
        let bot = try ReferenceBot(config: config)
        let server = try await bot.bind()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-external-smoke-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let smoke = try Loadgen.Smoke.parse([
            "--target", "http://127.0.0.1:\(server.port)/webhook", "--health", "http://127.0.0.1:\(server.port)/health",
            "--graph-listen", "127.0.0.1:\(graphPort)",
            "--duration", "1s", "--think-time", "0.2s", "--quiet", "--report-dir", dir.path,
        ])
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await upstreams.run(UpstreamStandIns(injector: nil)); return nil }
            group.addTask { await bot.run(on: server); return nil }
            defer { group.cancelAll() }
            return try await smoke.outcome(environment: ["WHATSAPP_APP_SECRET": secret, "WHATSAPP_VERIFY_TOKEN": token])
        }
        let checks = Dictionary(outcome.report.checks.map { ($0.name, $0) }) { a, _ in a }
        #expect(checks["health"]?.status == .pass)
        let routing = try #require(checks["agent routing"])
        #expect(routing.status == .pass, "\(routing)")
        #expect(routing.detail.contains("AI calls not observable on an external target"))
        #expect(checks["menu fallback"]?.detail.contains("AI calls not observable") == true)
        #expect(outcome.report.checks.filter { $0.status == .fail }.isEmpty, "\(outcome.report.checks)")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }
}
