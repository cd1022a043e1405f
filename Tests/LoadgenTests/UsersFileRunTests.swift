import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenRuntime
import Testing

/// Users from a CSV drive a run: their numbers send the deliveries, get the replies, and are in the
/// report; their columns fill the message text; a missing or bad file is refused with the row.
@Suite(.timeLimit(.minutes(1)))
struct UsersFileRunTests {
    static func file(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(name)-\(getpid()).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func usersFromACSVDriveARunAgainstTheEmbeddedBot() async throws {
        let csv = try Self.file("phone,name,produce\n+250788100001,Aline Uwase,tomatoes\n250788100002,Eric Mugisha,beans\n250 788 100 003,Grâce,maize\n", "run")
        defer { try? FileManager.default.removeItem(at: csv) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("users-run-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = Scenario("csv-users", summary: "") {
            Persona("buyer") {
                Send.text("I need {{produce}} near me")
                Expect.reply(.list(containing: "vendors"))  // the produce reached the bot: a farmer's list came back
            }
        }
        try ScenarioCatalog.install([scenario])
        defer { try? ScenarioCatalog.install([]) }
        let outcome = try await Loadgen.Run.parse([
            "--scenario", "csv-users", "--users-file", csv.path, "--concurrency", "3", "--journeys", "2", "--think-time", "0",
            "--duration", "30", "--report-dir", dir.path, "--quiet",
        ]).outcome()
        let r = outcome.report
        #expect(outcome.status == .pass, "\(r.criteria.filter { !$0.passed })")
        #expect(r.totals.turns == 6 && r.totals.errors == 0)
        #expect(r.replies.matched == 6 && r.replies.unknownUser == 0)  // the bot answered the file's numbers
        #expect(r.run.users == Report.RunInfo.Users(file: csv.path, count: 3, numbers: ["250788100001", "250788100002", "250788100003"]))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(((json?["run"] as? [String: Any])?["users"] as? [String: Any])?["numbers"] as? [String] == ["250788100001", "250788100002", "250788100003"])
    }

    @Test func aMissingFileIs66AndABadRowIs65WithItsLine() throws {
        let missing = try CommandLineTests.run(["--users-file", "/nonexistent/users.csv"])
        #expect(missing.status == 66)
        CommandLineTests.expectOneClearLine(missing, containing: "--users-file: no such file: /nonexistent/users.csv")
        let bad = try Self.file("phone,name\n250788100001,Aline\nnot-a-number,Eric\n", "bad")
        defer { try? FileManager.default.removeItem(at: bad) }
        let refused = try CommandLineTests.run(["--users-file", bad.path])
        #expect(refused.status == 65)
        CommandLineTests.expectOneClearLine(refused, containing: "\(bad.path):3: 'not-a-number' is not a phone number in E.164")
    }
}

extension UsersFileRunTests {
    /// A scenario file names its users (`users:`, next to it) and draws numbers and ids into its text.
    @Test func aScenarioFileBringsItsOwnUsers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("file-users-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("phone,produce\n250788200001,tomatoes\n250788200002,beans\n".utf8).write(to: dir.appendingPathComponent("users.csv"))
        let file = dir.appendingPathComponent("scenario.yaml")
        try Data("""
        name: file-with-users
        users: users.csv
        load: { users: 2, duration: 30s }
        personas:
          - name: buyer
            steps:
              - send: "{{produce}} x{{number:2-5}} #{{id}}"
              - expect: { list: vendors }
        """.utf8).write(to: file)
        let reports = dir.appendingPathComponent("r")
        let run = try CommandLineTests.run(["run", "-f", file.path, "--journeys", "2", "--think-time", "0", "--report-dir", reports.path, "--quiet"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: reports.appendingPathComponent("report.json")))
        #expect(report.run.users?.numbers == ["250788200001", "250788200002"])
        #expect(report.totals.turns == 4 && report.totals.errors == 0)
    }
}
