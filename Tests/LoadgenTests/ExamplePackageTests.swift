import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenScenarios
import Testing

/// `examples/my-bot-load`: a package of its own, depending on `LoadgenKit` by path, builds from this
/// checkout and runs its own scenario on loadgen's command line against the embedded bot. The build is
/// a second package (its own `.build`, every dependency compiled again): minutes, once per test run.
@Suite(.timeLimit(.minutes(30)))
struct ExamplePackageTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let example = repo.appendingPathComponent("examples/my-bot-load")

    @Test func theExamplePackageBuildsAndRunsItsScenario() throws {
        let swift = URL(fileURLWithPath: "/usr/bin/env")
        let build = try CommandLineTests.run(["swift", "build", "--package-path", Self.example.path], executable: swift)
        #expect(build.status == 0, "swift build: \(build.stdout.suffix(3000)) \(build.stderr.suffix(3000))")
        guard build.status == 0 else { return }
        let binPath = try CommandLineTests.run(["swift", "build", "--package-path", Self.example.path, "--show-bin-path"], executable: swift)
        let binary = URL(fileURLWithPath: binPath.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent("MyBotLoad")

        let list = try CommandLineTests.run(["list", "scenarios"], executable: binary)
        #expect(list.status == 0)
        #expect(list.stdout.contains("groceries") && list.stdout.contains("generic"), "\(list.stdout)")
        #expect(try CommandLineTests.run(["validate", "groceries"], executable: binary).status == 0)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CommandLineTests.run(["run", "--scenario", "groceries", "--concurrency", "4", "--journeys", "2", "--think-time", "0",
                                            "--duration", "60", "--report-dir", dir.path, "--quiet"], executable: binary)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: dir.appendingPathComponent("report.json")))
        #expect(report.run.scenario == "groceries")
        // Users 0–2 are shoppers (three turns a journey), user 3 asks for help (one): two journeys each.
        #expect(report.totals.turns == 3 * 2 * 3 + 1 * 2 * 1)
        #expect(report.totals.errors == 0)
        #expect(report.verdict == .pass)
    }

    @Test func aScenarioNamedLikeABuiltInOneIsRefused() {
        #expect(throws: ScenarioError.duplicateScenario("generic")) {
            try ScenarioCatalog.install([Scenario("generic", summary: "mine") { Persona("p") { Send.text("hi") } }])
        }
        #expect(ScenarioCatalog.all.map(\.name) == BuiltInScenarios.all.map(\.name))
    }
}
