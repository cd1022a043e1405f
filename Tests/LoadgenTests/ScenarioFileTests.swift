import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenFiles
import LoadgenHTTP
import LoadgenRuntime
import ReferenceBot
import Testing

/// Scenario files: written as the README shows, run against the embedded bot and against a bot served
/// on its own port; every mistake is FILE:LINE:COLUMN and a sentence, word for word.
@Suite(.timeLimit(.minutes(1)))
struct ScenarioFileTests {
    static let buyers = """
    name: file-buyers
    summary: Buyers asking for vegetables, from a file.
    load: { users: 3, duration: 30s }
    personas:
      - name: buyer
        steps:
          - send: [I need vegetables near me, I need tomatoes]
          - expect: { list: vendors }
          - choose: { row: 0 }
          - expect: { buttons: [pay_wallet] }
    """

    static func write(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid()).yaml")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func eachMistakeIsOneLineWithItsPlace() {
        let text = """
        name: broken
        lod: { users: 3 }
        personas:
          - name: buyer
            weight: zero
            steps:
              - send: Hello
                expect: any
              - expect: { containz: vendors }
              - think: soon
              - choose: { row: -1 }
              - within: 2s
          - steps: []
        """
        #expect(throws: ScenarioFile.Problems(lines: [
            "f.yaml:2:1: unknown key 'lod' in the scenario; expected one of: name, summary, load, criteria, chaos, expectations, personas",
            "f.yaml:5:13: a persona's weight must be a whole number of at least 1 (got 'zero')",
            "f.yaml:7:9: a step is one of: send, burst, button, row, location, image, audio, document, sticker, reaction, unsupported, template, expect, think, choose, branch, repeat (this one has send and expect)",
            "f.yaml:9:19: unknown key 'containz' in a matcher; expected one of: contains, regex, buttons, list, oneOf, not",
            "f.yaml:10:16: think must be a time or a range such as 2s or 1s-3s (got 'soon')",
            "f.yaml:11:24: choose.row must be a whole number of at least 0 (got '-1')",
            "f.yaml:12:9: within goes with expect, in the same step (- expect: any, then within: 2s under it)",
            "f.yaml:13:5: a persona needs a name",
        ])) { try ScenarioFile.load(text, path: "f.yaml") }
        #expect(throws: ScenarioFile.Problems(lines: ["f.yaml:3:1: not YAML: did not find expected node content"])) {
            try ScenarioFile.load("name: x\npersonas: [\n", path: "f.yaml")
        }
        #expect(throws: ScenarioFile.Problems(lines: ["f.yaml: scenario 'x', persona 'p': the journey is empty; add at least one Send step"])) {
            try ScenarioFile.load("name: x\npersonas:\n  - name: p\n    steps: []\n", path: "f.yaml")
        }
    }

    @Test func aFileRunsAgainstTheEmbeddedBotAndValidates() throws {
        let file = try Self.write(Self.buyers, "buyers")
        defer { try? FileManager.default.removeItem(at: file) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("file-run-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CommandLineTests.run(["run", "-f", file.path, "--journeys", "2", "--think-time", "0", "--report-dir", dir.path, "--quiet"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("scenario file-buyers, 3 users"), "\(run.stdout)")
        #expect(run.stdout.contains("turns 12 "), "\(run.stdout)")
        let valid = try CommandLineTests.run(["validate", file.path])
        #expect(valid.status == 0 && valid.stdout.contains("✅ scenario 'file-buyers' is valid: 1 personas, 4 steps"), "\(valid.stdout)")

        let bad = try Self.write("name: b\npersonas:\n  - name: p\n    steps:\n      - sendd: hi\n", "bad")
        defer { try? FileManager.default.removeItem(at: bad) }
        for args in [["validate", bad.path], ["run", "-f", bad.path]] {
            let refused = try CommandLineTests.run(args)
            #expect(refused.status == 65)
            CommandLineTests.expectOneClearLine(refused, containing: "\(bad.path):5:9: unknown key 'sendd' in a step")
        }
        let missing = try CommandLineTests.run(["run", "-f", "/nonexistent/s.yaml"])
        #expect(missing.status == 66)
        CommandLineTests.expectOneClearLine(missing, containing: "no such scenario file: /nonexistent/s.yaml")
    }

    /// The same file against the reference bot served on its own port, as a bot nobody here wrote would be.
    @Test func aFileRunsAgainstAnExternalBot() async throws {
        let file = try Self.write(Self.buyers, "external")
        defer { try? FileManager.default.removeItem(at: file) }
        let graphPort = try await ProxiedChaosTests.freePort()
        let upstreams = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        var config = BotConfiguration(appSecret: Secret("file-secret"), verifyToken: Secret("v"), accessToken: Secret("t"),
                                      graphBaseURL: try TargetURL("http://127.0.0.1:\(graphPort)/v20.0"))
        config.upstreams = .http(try TargetURL(upstreams.baseURL))
        let bot = try ReferenceBot(config: config)
        let server = try await bot.bind()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("file-external-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = try Loadgen.Run.parse([
            "-f", file.path, "--target", "http://127.0.0.1:\(server.port)/webhook", "--graph-listen", "127.0.0.1:\(graphPort)",
            "--journeys", "2", "--think-time", "0", "--report-dir", dir.path, "--quiet",
        ])
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await upstreams.run(UpstreamStandIns(injector: nil)); return nil }
            group.addTask { await bot.run(on: server); return nil }
            defer { group.cancelAll() }
            return try await command.outcome(environment: ["WHATSAPP_APP_SECRET": "file-secret"])
        }
        #expect(outcome.report.run.scenario == "file-buyers")
        #expect(outcome.report.totals.turns == 12 && outcome.report.totals.errors == 0, "\(outcome.report.errorsByClass)")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }
}
