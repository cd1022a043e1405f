import Foundation
import LoadgenHTTP
import Testing

/// Every bad input the reliability review found accepted, trapping or silently repaired: the built
/// binary answers each with one `loadgen: error:` line and its documented exit code, before a request
/// is sent — never a stack trace, never a signal.
@Suite(.timeLimit(.minutes(1)))
struct BadInputTests {
    typealias CLI = CommandLineTests

    @Test(arguments: [
        // Numbers past their range used to trap converting to Int64; now they are range-checked.
        (["--duration", "1e12"], "at most 30 days"),
        (["--reply-timeout", "1e10"], "at most 30 days"),
        (["--ack-timeout", "1e12"], "at most 30 days"),
        (["--think-time", "1e10"], "'--think-time <range>'"),
        (["--chaos", "timeout=0.1@1e12s-1e13s"], "must be START-END"),
        (["smoke", "--duration", "1e12"], "at most 30 days"),
        (["--rate", "1e300"], "--rate must be at most 100000"),
        (["--rate", "1", "--max-in-flight", "50000000"], "--max-in-flight must be at most 100000"),
        (["--connections", "1000000"], "--connections must be between 1 and 20000"),
        // Accepted and run before; now refused.
        (["--chaos", "timeout=0.1@"], "must be START-END"),
        (["--criteria", "errorRate<-1%"], "cannot read the threshold"),
        (["--criteria", "errorRate<150%"], "rates up to 100 %"),
        (["--report-dir", ""], "--report-dir"),
    ])
    func numbersAndSpecsOutOfRangeExit64(arguments: [String], message: String) throws {
        let o = try CLI.run(arguments)
        #expect(o.status == 64, "\(o.stderr)")
        CLI.expectOneClearLine(o, containing: message)
    }

    /// A path that is not valid UTF-8 was silently "repaired" to U+FFFD and written elsewhere.
    @Test func aReportDirThatIsNotTextIsRefused() throws {
        let o = try CLI.run(["--report-dir", String(decoding: [0x61, 0xFF], as: UTF8.self)])
        #expect(o.status == 64)
        CLI.expectOneClearLine(o, containing: "not valid UTF-8")
    }

    @Test func aMissingPayloadsDirectoryExits66() throws {
        let o = try CLI.run(["--payloads", "/nonexistent/loadgen-payloads"])
        #expect(o.status == 66)
        CLI.expectOneClearLine(o, containing: "no such directory: /nonexistent/loadgen-payloads")
    }

    /// Credentials in a URL were dropped without a word; they are refused, and the password is never echoed.
    @Test func aURLCarryingAPasswordIsRefusedAndRedacted() throws {
        for flags in [["--target"], ["smoke", "--target"], ["serve", "--graph-url"]] {
            let o = try CLI.run(flags + ["http://ops:hunter2@127.0.0.1:9/webhook"])
            #expect(o.status == 64, "\(flags): \(o.stderr)")
            #expect(!o.stderr.contains("hunter2") && !o.stdout.contains("hunter2"), "\(o.stderr)")
        }
        let o = try CLI.run(["--target", "http://ops:hunter2@127.0.0.1:9/webhook"])
        CLI.expectOneClearLine(o, containing: "must not carry user:password@")
    }

    /// A scenario's own chaos plan in a production smoke test was silently dropped; it is refused like --chaos.
    @Test func aProductionSmokeTestRefusesTheScenariosChaos() throws {
        let numbers = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-prod-numbers-\(getpid()).txt")
        try Data("250788000001\n250788000002\n".utf8).write(to: numbers)
        defer { try? FileManager.default.removeItem(at: numbers) }
        let o = try CLI.run(["smoke", "--env", "prod", "--scenario", "nine-patterns", "--test-numbers", numbers.path])
        #expect(o.status == 64)
        CLI.expectOneClearLine(o, containing: "the scenario's own chaos plan is not allowed")
    }

    /// Bursts flood a bot past its rate limit: against a host that is not this machine, only when confirmed.
    @Test func aFloodAgainstAnotherMachineNeedsConfirmation() throws {
        let o = try CLI.run(["--chaos", "network-issues:burst=0.5", "--target", "http://192.0.2.1/webhook",
                             "--upstream", "database=http://192.0.2.1:9@127.0.0.1:0"],
                            environment: ["WHATSAPP_APP_SECRET": "s"])
        #expect(o.status == 64, "\(o.stderr)")
        CLI.expectOneClearLine(o, containing: "add --allow-flood")
    }

    /// A missing secret is one line: no banner before it.
    @Test func aSmokeTestWithoutItsSecretSaysOnlyThat() throws {
        let o = try CLI.run(["smoke", "--target", "http://127.0.0.1:9/webhook"])
        #expect(o.status == 78)
        #expect(o.stderr.split(separator: "\n").count == 1, "\(o.stderr)")
        CLI.expectOneClearLine(o, containing: "set WHATSAPP_APP_SECRET")
    }

    /// `https://` against a plain-HTTP target: said at once, not after the preflight's 10 s.
    @Test func httpsAgainstAPlainTargetSaysTheHandshakeFailed() async throws {
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let serving = Task { await server.run(SignalsAndDiskTests.Silent()) }
        defer { serving.cancel() }
        let o = try CLI.run(["--target", "https://127.0.0.1:\(server.port)/webhook"], environment: ["WHATSAPP_APP_SECRET": "s"])
        #expect(o.status == 69)
        CLI.expectOneClearLine(o, containing: "TLS handshake with https://127.0.0.1:\(server.port)/webhook failed: the target does not speak TLS")
    }
}
