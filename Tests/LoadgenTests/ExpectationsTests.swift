import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenFiles
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import Testing

/// The judging speaks the scenario's words, not EasyMO's: a plain FAQ bot passes the whole smoke
/// checklist and a chaos drill with its own expectations, fails the drill with EasyMO's, and a bot that
/// answers everything with its menu fails `agent routing` with the reply and what was expected.
@Suite(.timeLimit(.minutes(2)))
struct ExpectationsTests {
    static let faq = Expectations(
        fallbackPhrases: ["did not understand"],
        graceful: [.invalidInput: .contains("try asking")],
        smoke: .init(agentMessage: "What are your opening hours?", agentAnswer: .contains("we are open"),
                     menuMessage: "menu", menu: .interactive))

    static let faqSmoke = Scenario("faq-smoke", summary: "A shop's FAQ bot: hours, prices, the topics menu.", criteria: ["prod"],
                                   expectations: faq) {
        Persona("asks-hours") {
            Send.text("When are you open?")
            Expect.reply(.contains("we are open"))
        }
        Persona("asks-prices") {
            Send.text("How much does delivery cost?")
            Expect.reply(.contains("RWF"))
        }
    }

    /// Runs `body` with a FAQ bot on its own port, replying to a stand-in Graph API at `graphPort`.
    private func withFAQBot<T: Sendable>(
        menuOnly: Bool = false, _ body: @Sendable (_ target: String, _ graphPort: Int) async throws -> T
    ) async throws -> T {
        try await ServedFAQBot.with(menuOnly: menuOnly) { target, graphPort, _ in try await body(target, graphPort) }
    }

    private static let secrets = ServedFAQBot.secrets

    private func smoke(_ target: String, graphPort: Int, dir: URL) async throws -> RunOutcome {
        try ScenarioCatalog.install([Self.faqSmoke])
        defer { try? ScenarioCatalog.install([]) }
        return try await Loadgen.Smoke.parse([
            "--scenario", "faq-smoke", "--target", target, "--health", target.replacingOccurrences(of: "/webhook", with: "/health"),
            "--graph-listen", "127.0.0.1:\(graphPort)",
            "--duration", "1s", "--think-time", "0.2s", "--quiet", "--report-dir", dir.path,
        ]).outcome(environment: Self.secrets)
    }

    @Test func aFAQBotPassesTheSmokeChecklistInItsOwnWords() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faq-smoke-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try await withFAQBot { target, port in try await smoke(target, graphPort: port, dir: dir) }
        let checks = Dictionary(outcome.report.checks.map { ($0.name, $0) }) { a, _ in a }
        #expect(checks["agent routing"]?.status == .pass, "\(String(describing: checks["agent routing"]))")
        #expect(checks["agent routing"]?.detail.contains(FAQBot.hours) == true)
        #expect(checks["menu fallback"]?.status == .pass, "\(String(describing: checks["menu fallback"]))")
        #expect(checks["fallback: invalid input"]?.status == .pass, "\(String(describing: checks["fallback: invalid input"]))")
        #expect(outcome.report.checks.allSatisfy { $0.status != .fail }, "\(outcome.report.checks)")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }

    @Test func aBotThatAnswersEverythingWithItsMenuFailsAgentRoutingAndSaysWhy() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("menu-smoke-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try await withFAQBot(menuOnly: true) { target, port in try await smoke(target, graphPort: port, dir: dir) }
        let routing = try #require(outcome.report.checks.first { $0.name == "agent routing" })
        #expect(routing.status == .fail)
        #expect(routing.detail.hasPrefix("expected text contains \"we are open\", got "), "\(routing.detail)")
        #expect(routing.detail.contains(FAQBot.topics), "\(routing.detail)")
        #expect(outcome.status == .criteriaFailed)
    }

    /// Invalid input injected into every turn: the FAQ bot's "try asking …" is graceful in its own words,
    /// and not in EasyMO's (which wants "for example", "e.g." or "please share").
    @Test func aChaosDrillJudgesTheBotByTheScenariosWording() async throws {
        let faqLoad = Scenario("faq-load", summary: "", expectations: Self.faq) {
            Persona("asks") {
                Send.text("When are you open?")
                Expect.reply(.contains("we are open"))  // so the answer to garbage is not taken for the normal one
            }
        }
        let easymoWorded = Scenario(name: "faq-load-easymo", summary: "", personas: faqLoad.personas)
        let results = try await withFAQBot { target, port in
            try ScenarioCatalog.install([faqLoad, easymoWorded])
            defer { try? ScenarioCatalog.install([]) }
            var out: [String: RunOutcome] = [:]
            for name in ["faq-load", "faq-load-easymo"] {
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
                defer { try? FileManager.default.removeItem(at: dir) }
                out[name] = try await Loadgen.Run.parse([
                    "--scenario", name, "--target", target, "--graph-listen", "127.0.0.1:\(port)", "--chaos", "invalid-input=1",
                    "--concurrency", "3", "--journeys", "2", "--think-time", "0", "--duration", "30", "--quiet", "--report-dir", dir.path,
                ]).outcome(environment: Self.secrets)
            }
            return out
        }
        let own = try #require(results["faq-load"]?.report.patterns.first { $0.pattern == FailurePattern.invalidInput.rawValue })
        #expect(own.graceful == 6 && own.wrong == 0, "\(own)")
        #expect(results["faq-load"]?.status == .pass)
        let easymo = try #require(results["faq-load-easymo"]?.report.patterns.first { $0.pattern == FailurePattern.invalidInput.rawValue })
        #expect(easymo.wrong == 6 && easymo.graceful == 0, "\(easymo)")
        #expect(results["faq-load-easymo"]?.status == .criteriaFailed)
    }

    /// An operator's way, without Swift: the same expectations in a scenario file, `smoke -f`.
    @Test func theSameExpectationsInAFileSmokeTestTheFAQBot() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faq-file-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try ServedFAQBot.scenarioFile(named: "faq-smoke", in: dir)
        #expect(try ScenarioFile.load(String(contentsOf: file, encoding: .utf8), path: file.path).expectations == Self.faq)
        let outcome = try await withFAQBot { target, port in
            try await Loadgen.Smoke.parse([
                "-f", file.path, "--target", target, "--health", target.replacingOccurrences(of: "/webhook", with: "/health"),
                "--graph-listen", "127.0.0.1:\(port)", "--duration", "1s", "--think-time", "0.2s", "--quiet", "--report-dir", dir.path,
            ]).outcome(environment: Self.secrets)
        }
        #expect(outcome.report.checks.allSatisfy { $0.status != .fail }, "\(outcome.report.checks)")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }
}
