import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenRuntime
import Testing

@Suite struct OptionParsingTests {
    @Test func defaultsAreTheDocumentedOnes() throws {
        let run = try Loadgen.Run.parse([])
        let (plan, _) = try run.plan(environment: [:])
        #expect(plan.workload.users.count == 10)
        #expect(plan.workload.duration == .seconds(30))
        #expect(plan.workload.thinkTime == .seconds(2) ... .seconds(5))
        #expect(plan.workload.scenario.name == "generic")
        #expect(plan.workload.replies == .any)
        #expect(plan.graphListen == HostPort(host: "127.0.0.1", port: 0))
        #expect(plan.target == nil)
    }

    /// The same seed, the same users and messages, but fresh message ids: a long-lived bot's dedup must
    /// not swallow a repeated run.
    @Test func everyRunHasFreshMessageIDs() throws {
        let plans = try (0..<3).map { _ in try Loadgen.Run.parse(["--seed", "7"]).plan(environment: [:]).0.workload }
        let salts = plans.map(\.wamidSalt)
        #expect(Set(salts).count == 3)
        #expect(salts.allSatisfy { $0 != 0 && $0 & ((1 << 42) - 1) == 0 })  // clear of user index and sequence bits
        #expect(plans[0].users.map(\.phone) == plans[1].users.map(\.phone))
    }

    @Test func aShardSimulatesEveryNthUserAndItsShareOfTheRate() throws {
        let closed = try Loadgen.Run.parse(["--concurrency", "10", "--shard", "1/4"]).plan(environment: [:]).0
        #expect(closed.workload.users.map(\.index) == [1, 5, 9])
        let open = try Loadgen.Run.parse(["--rate", "40", "--duration", "10s", "--shard", "0/4"]).plan(environment: [:]).0
        guard case .open(let schedule, _) = open.workload.model else { Issue.record("not an open model"); return }
        #expect(schedule.meanRate == 10)
        for bad in ["4/4", "-1/4", "1", "a/b", "0/0"] {
            #expect(throws: (any Error).self, "\(bad)") { try Loadgen.Run.parse(["--shard", bad]) }
        }
        #expect(throws: (any Error).self) { try Loadgen.Run.parse(["--concurrency", "2", "--shard", "0/4"]) }
    }

    @Test func theStagingCommandParses() throws {
        let run = try Loadgen.Run.parse(["--concurrency", "100", "--duration", "300", "--criteria", "staging"])
        let (plan, _) = try run.plan(environment: [:])
        #expect(plan.workload.users.count == 100)
        #expect(plan.workload.duration == .seconds(300))
        #expect(plan.criteria.map(\.name) == ["staging"])
        #expect(plan.target == nil)
        #expect(plan.connections == 100)
    }

    @Test func flagsOverrideTheScenariosOwnLoad() throws {
        let own = try Loadgen.Run.parse(["--scenario", "staging-load"]).plan(environment: [:]).0
        #expect(own.workload.users.count == 100)
        #expect(own.workload.duration == .seconds(300))
        #expect(own.criteria.map(\.name) == ["staging"])
        let overridden = try Loadgen.Run.parse(["--scenario", "staging-load", "--concurrency", "7", "--duration", "5s", "--criteria", "prod"])
            .plan(environment: [:]).0
        #expect(overridden.workload.users.count == 7)
        #expect(overridden.workload.duration == .seconds(5))
        #expect(overridden.criteria.map(\.name) == ["prod"])
    }

    @Test(arguments: [("300", Duration.seconds(300)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("500ms", .milliseconds(500)),
                      ("1h", .seconds(3600)), ("0.5", .milliseconds(500))])
    func durations(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test func thinkTimeRanges() {
        #expect(DurationText.parseRange("2s-5s") == .seconds(2) ... .seconds(5))
        #expect(DurationText.parseRange("0") == .zero ... .zero)
        #expect(DurationText.parseRange("5s-2s") == nil)
        #expect(DurationText.parseRange("soon") == nil)
    }

    @Test func hostPorts() {
        #expect(HostPort.parse("127.0.0.1:4100") == HostPort(host: "127.0.0.1", port: 4100))
        #expect(HostPort.parse("[::1]:0") == HostPort(host: "::1", port: 0))
        #expect(HostPort.parse("localhost") == nil)
        #expect(HostPort.parse("h:99999") == nil)
    }

    @Test(arguments: [
        ["--concurrency", "0"], ["--concurrency", "-5"], ["--concurrency", "abc"], ["--duration", "xyz"], ["--duration", "0"],
        ["--think-time", "5s-1s"], ["--replies", "some"], ["--target", "not a url"], ["--target", "ftp://h/x"],
        ["--scenario", "nope"], ["--criteria", "bogus"], ["--criteria", "reply.p95<fast"], ["--graph-listen", "4100"],
        ["--phone-number-id", "abc"], ["--reply-timeout", "0"],
    ])
    func badFlagsAreUsageErrors(arguments: [String]) {
        do {
            _ = try Loadgen.Run.parse(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(Loadgen.exitCode(for: error) == .validationFailure)  // 64
        }
    }

    @Test func secretsComeFromEnvironmentOrFile() throws {
        let run = try Loadgen.Run.parse(["--target", "http://127.0.0.1:9/webhook"])
        let (_, secrets) = try run.plan(environment: ["WHATSAPP_APP_SECRET": "s3cret", "WHATSAPP_VERIFY_TOKEN": "v"])
        #expect(secrets.appSecret?.value == "s3cret")
        #expect(secrets.verifyToken?.value == "v")
        let missing = try Loadgen.Run.parse(["--app-secret-file", "/nonexistent/secret"])
        #expect(throws: LoadgenFailure.self) { try missing.plan(environment: [:]) }
    }

    /// The README's exit-code table lists exactly the codes loadgen exits with.
    @Test func theReadmeDocumentsEveryExitCode() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Exit codes").dropFirst().first?.components(separatedBy: "\n## ").first)
        let documented = section.split(separator: "\n").compactMap { line -> Int32? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.first.flatMap { Int32($0) }
        }
        #expect(documented == ExitStatus.allCases.map(\.rawValue))
    }
}
