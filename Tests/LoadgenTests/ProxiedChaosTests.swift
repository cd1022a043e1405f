import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import ReferenceBot
import Testing

/// Chaos against an external bot: `loadgen run --target … --upstream llm=URL@HOST:PORT` hosts a fault
/// proxy in front of the bot's real LLM, and the faults it injects are traced to turns through the
/// bot's X-Correlation-ID and judged like the stand-ins' own.
@Suite(.timeLimit(.minutes(1)))
struct ProxiedChaosTests {
    /// A free loopback port (bound and released), for addresses the bot must know before the run binds them.
    static func freePort() async throws -> Int {
        let probe = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let port = probe.port
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await probe.run(UpstreamStandIns(injector: nil)) }
            group.cancelAll()
        }
        return port
    }

    @Test func faultsInjectedByTheRunsProxyAreJudgedPerTurn() async throws {
        let (graphPort, proxyPort) = (try await Self.freePort(), try await Self.freePort())
        // The bot's real upstreams: loadgen's stand-ins without faults, behind the run's proxy.
        let upstreams = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let secret = "proxied-chaos-secret", token = "proxied-chaos-token"
        var config = BotConfiguration(appSecret: Secret(secret), verifyToken: Secret(token), accessToken: Secret("t"),
                                      graphBaseURL: try TargetURL("http://127.0.0.1:\(graphPort)/v20.0"))
        config.upstreams = .http(try TargetURL(upstreams.baseURL))
        config.llmBaseURL = try TargetURL("http://127.0.0.1:\(proxyPort)")  // OPENAI_BASE_URL → the run's proxy
        config.llmDeadline = .seconds(2)
        let bot = try ReferenceBot(config: config)
        let server = try await bot.bind()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-proxied-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse([
            "--target", "http://127.0.0.1:\(server.port)/webhook", "--graph-listen", "127.0.0.1:\(graphPort)",
            "--upstream", "llm=\(upstreams.baseURL)@127.0.0.1:\(proxyPort)", "--chaos", "ai-service-down=1",
            "--scenario", "nine-patterns", "--concurrency", "4", "--journeys", "1", "--think-time", "0",
            "--statuses", "off", "--report-dir", dir.path, "--quiet",
        ])
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await upstreams.run(UpstreamStandIns(injector: nil)); return nil }
            group.addTask { await bot.run(on: server); return nil }
            defer { group.cancelAll() }
            return try await run.outcome(environment: ["WHATSAPP_APP_SECRET": secret, "WHATSAPP_VERIFY_TOKEN": token])
        }
        let r = outcome.report
        let pattern = try #require(r.patterns.first { $0.pattern == "ai-service-down" })
        #expect(pattern.injected > 0)
        #expect(pattern.graceful == pattern.injected)  // the bot answered from ranking: "top-rated"
        #expect(pattern.untraced == nil)  // the reference bot forwards the message id as X-Correlation-ID
        #expect(r.verdict == .pass, "\(r.criteria)")
        #expect(r.chaosWindows?.map(\.pattern) == ["ai-service-down"])
    }

    @Test func upstreamFaultsAgainstATargetNeedAProxy() throws {
        #expect(throws: (any Error).self) {
            try Loadgen.Run.parse(["--target", "http://127.0.0.1:9/webhook", "--chaos", "ai-service-down=0.2"])
        }
        _ = try Loadgen.Run.parse(["--target", "http://127.0.0.1:9/webhook", "--chaos", "ai-service-down=0.2,no-results=0.1",
                                   "--upstream", "llm=http://127.0.0.1:9000@127.0.0.1:8081",
                                   "--upstream", "database=http://127.0.0.1:9001/rest/v1@127.0.0.1:8082"])
        #expect(throws: (any Error).self) {  // the database proxy does not cover the LLM
            try Loadgen.Run.parse(["--target", "http://127.0.0.1:9/webhook", "--chaos", "timeout=0.2",
                                   "--upstream", "database=http://127.0.0.1:9001@127.0.0.1:8082"])
        }
        #expect(throws: (any Error).self) {  // no target: the embedded bot has its own stand-ins
            try Loadgen.Run.parse(["--upstream", "llm=http://127.0.0.1:9000@127.0.0.1:8081"])
        }
    }

    @Test func callsWithoutACorrelationIDAreCountedAsUntraced() {
        let injector = FaultInjector(plan: [.inject(.aiServiceDown, rate: 1)], seed: 1)
        _ = injector.fault(at: [.llm], correlationID: nil, elapsed: .seconds(1))
        _ = injector.fault(at: [.llm], correlationID: "wamid.A", elapsed: .seconds(1))
        #expect(injector.untraced == [.aiServiceDown: 1])
        #expect(injector.injected == [.aiServiceDown: 2])
        #expect(injector.patterns(forTurn: "wamid.A") == [.aiServiceDown])
    }
}

/// `network-issues:burst`: users flood the bot past its per-user rate limit.
@Suite(.timeLimit(.minutes(1)))
struct RateLimitBurstTests {
    @Test func theReferenceBotLimitsABurstGracefully() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-burst-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse(["--concurrency", "2", "--duration", "3s", "--think-time", "0", "--statuses", "off",
                                         "--chaos", "network-issues:burst=1", "--report-dir", dir.path, "--quiet"])
        let r = try await run.outcome().report
        let bursts = try #require(r.patterns.first { $0.pattern == "network-issues" })
        #expect(bursts.injected == 2)  // one burst per user, then each waits the Retry-After past the run's end
        #expect(bursts.graceful == 2)
        #expect(bursts.activation.count == 2)
        #expect(r.delivery.burstMessages == 70)
        #expect((r.delivery.burstLimited ?? 0) >= 10)  // 30 a minute: at least 5 of each 35 refused
        #expect(r.totals.errors == 0)
        #expect(r.replies.unsolicited == 0)  // the accepted messages' answers were owed, not stray
        #expect(r.verdict == .pass)
    }

    @Test func aBotWithoutALimitIsWrong() async throws {
        let graphPort = try await ProxiedChaosTests.freePort()
        let secret = "burst-secret"
        let config = BotConfiguration(appSecret: Secret(secret), verifyToken: Secret("v"), accessToken: Secret("t"),
                                      graphBaseURL: try TargetURL("http://127.0.0.1:\(graphPort)/v20.0"), rateLimitPerMinute: 100_000)
        let bot = try ReferenceBot(config: config)
        let server = try await bot.bind()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-burst-nolimit-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse([
            "--target", "http://127.0.0.1:\(server.port)/webhook", "--graph-listen", "127.0.0.1:\(graphPort)", "--concurrency", "1",
            "--journeys", "1", "--think-time", "0", "--statuses", "off", "--chaos", "network-issues:burst=1",
            "--criteria", "staging,chaos.gracefulRate>=0.99", "--report-dir", dir.path, "--quiet",
        ])
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await bot.run(on: server); return nil }
            defer { group.cancelAll() }
            return try await run.outcome(environment: ["WHATSAPP_APP_SECRET": secret])
        }
        let bursts = try #require(outcome.report.patterns.first { $0.pattern == "network-issues" })
        #expect(bursts.injected == 1 && bursts.wrong == 1)
        #expect(outcome.report.delivery.burstLimited == 0)
        #expect(outcome.report.verdict == .fail)
    }
}

/// A burst (`Send.burst`) whose messages an upstream fault hits is judged like a turn, on all its answers.
@Suite(.timeLimit(.minutes(1)))
struct BurstChaosTests {
    @Test func aBurstHitByAnUpstreamFaultIsJudgedOnAllItsAnswers() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-burst-chaos-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = try Loadgen.Run.parse(["--concurrency", "3", "--journeys", "1", "--think-time", "0", "--statuses", "off",
                                            "--report-dir", dir.path, "--quiet"]).config()
        config.scenario = Scenario("burst-chaos", summary: "") {
            Persona("hurried") {
                Send.burst(["Hi", "I need vegetables near me"])  // the greeting's menu may come first
                Expect.reply(.any)
            }
        }
        config.chaos = [.inject(.aiServiceDown, rate: 1)]
        let r = try await RunDriver.run(try config.validated(), secrets: RunSecrets(), stop: StopSignal(), log: { _ in }).report
        let pattern = try #require(r.patterns.first { $0.pattern == "ai-service-down" })
        #expect(pattern.injected == 3)
        #expect(pattern.graceful == 3, "\(pattern)")  // "top-rated" is among each burst's two answers
        #expect(r.phases["fault"]?.turns == 6)
        #expect(r.steps.first?.phases?["fault"]?.turns == 6 && r.steps.first?.phases?["fault"]?.errors == 0)  // steps split by phase too
        #expect(r.totals.turns == 6 && r.totals.errors == 0)
    }
}
