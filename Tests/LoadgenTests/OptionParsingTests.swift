import ArgumentParser
@testable import Loadgen
import LoadgenCore
import Testing

@Suite struct OptionParsingTests {
    @Test func defaultsAreTheDocumentedOnes() throws {
        let run = try Loadgen.Run.parse([])
        let options = try run.makeOptions(environment: [:])
        #expect(options.plan.users == 10)
        #expect(options.plan.duration == .seconds(30))
        #expect(run.thinkTime == "2s-5s")
        #expect(run.scenario == "generic")
        #expect(run.replies == "any")
        #expect(run.graphListen == "127.0.0.1:0")
        #expect(run.target == nil)
    }

    /// The same seed, the same users and messages, but fresh message ids: a long-lived bot's dedup must
    /// not swallow a repeated run.
    @Test func everyRunHasFreshMessageIDs() throws {
        let salts = try (0..<3).map { _ in try Loadgen.Run.parse(["--seed", "7"]).makeOptions(environment: [:]).plan.wamidSalt }
        #expect(Set(salts).count == 3)
        #expect(salts.allSatisfy { $0 != 0 && $0 & ((1 << 42) - 1) == 0 })  // clear of user index and sequence bits
        let users = try Loadgen.Run.parse(["--seed", "7"]).makeOptions(environment: [:]).plan.makeUsers()
        #expect(users.map(\.phone) == (try Loadgen.Run.parse(["--seed", "7"]).makeOptions(environment: [:]).plan.makeUsers().map(\.phone)))
    }

    @Test func aShardSimulatesEveryNthUserAndItsShareOfTheRate() throws {
        let closed = try Loadgen.Run.parse(["--concurrency", "10", "--shard", "1/4"]).makeOptions(environment: [:])
        #expect(closed.plan.makeUsers().map(\.index) == [1, 5, 9])
        let open = try Loadgen.Run.parse(["--rate", "40", "--duration", "10s", "--shard", "0/4"]).makeOptions(environment: [:])
        #expect(open.plan.arrivals?.meanRate == 10)
        for bad in ["4/4", "-1/4", "1", "a/b", "0/0"] {
            #expect(throws: (any Error).self, "\(bad)") { try Loadgen.Run.parse(["--shard", bad]) }
        }
        #expect(throws: (any Error).self) { try Loadgen.Run.parse(["--concurrency", "2", "--shard", "0/4"]) }
    }

    @Test func theStagingCommandParses() throws {
        let run = try Loadgen.Run.parse(["--concurrency", "100", "--duration", "300", "--criteria", "staging"])
        let options = try run.makeOptions(environment: [:])
        #expect(options.plan.users == 100)
        #expect(options.plan.duration == .seconds(300))
        #expect(options.criteria.map(\.name) == ["staging"])
        #expect(options.target == nil)
        #expect(options.connections == 100)
    }

    @Test func flagsOverrideTheScenariosOwnLoad() throws {
        let own = try Loadgen.Run.parse(["--scenario", "staging-load"]).makeOptions(environment: [:])
        #expect(own.plan.users == 100)
        #expect(own.plan.duration == .seconds(300))
        #expect(own.criteria.map(\.name) == ["staging"])
        let overridden = try Loadgen.Run.parse(["--scenario", "staging-load", "--concurrency", "7", "--duration", "5s", "--criteria", "prod"])
            .makeOptions(environment: [:])
        #expect(overridden.plan.users == 7)
        #expect(overridden.plan.duration == .seconds(5))
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
        let options = try run.makeOptions(environment: ["WHATSAPP_APP_SECRET": "s3cret", "WHATSAPP_VERIFY_TOKEN": "v"])
        #expect(options.appSecret?.value == "s3cret")
        #expect(options.verifyToken?.value == "v")
        let missing = try Loadgen.Run.parse(["--app-secret-file", "/nonexistent/secret"])
        #expect(throws: LoadgenFailure.self) { try missing.makeOptions(environment: [:]) }
    }

    @Test func exitStatusesAreDistinctAndDocumented() {
        let codes = ExitStatus.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(ExitStatus.pass.rawValue == 0 && ExitStatus.criteriaFailed.rawValue == 1 && ExitStatus.usage.rawValue == 64)
    }
}
