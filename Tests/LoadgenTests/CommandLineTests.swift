import Foundation
import LoadgenHTTP
import LoadgenRuntime
import Testing

/// The built `loadgen` binary, run as a user would: exit codes and what reaches stderr.
@Suite(.timeLimit(.minutes(1)))
struct CommandLineTests {
    static let binary: URL = {
        // The test bundle sits in the build directory next to the executable.
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("loadgen") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], executable: URL = binary) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN"] { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// One line on stderr that starts `loadgen: error:`, and nothing that looks like a crash.
    static func expectOneClearLine(_ o: Outcome, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let errorLines = o.stderr.split(separator: "\n").filter { $0.hasPrefix("loadgen: error:") }
        #expect(errorLines.count == 1, "stderr: \(o.stderr)", sourceLocation: sourceLocation)
        #expect(errorLines.first?.contains(text) == true, "stderr: \(o.stderr)", sourceLocation: sourceLocation)
        for crash in ["Fatal error", "Backtrac", "Precondition", "Illegal instruction", "Usage:"] {
            #expect(!o.stderr.contains(crash), "stderr: \(o.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        (["--concurrency", "-5"], "--concurrency must be at least 1"),
        (["--concurrency", "abc"], "'abc' is invalid"),
        (["--duration", "soon"], "'--duration <time>': write seconds (300) or a number with a unit (500ms, 30s, 5m, 1h)"),
        (["--target", "not-a-url"], "invalid URL"),
        (["--scenario", "nope"], "unknown scenario 'nope'"),
        (["--criteria", "bogus"], "unknown criteria preset 'bogus'"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let o = try Self.run(arguments)
        #expect(o.status == 64)
        Self.expectOneClearLine(o, containing: message)
    }

    @Test func smokeRefusesToExceedTheProductionCaps() throws {
        let numbers = FileManager.default.temporaryDirectory.appendingPathComponent("smoke-numbers-\(getpid()).txt")
        try Data("+250788123456\n".utf8).write(to: numbers)
        defer { try? FileManager.default.removeItem(at: numbers) }
        let o = try Self.run(["smoke", "--env", "prod", "--test-numbers", numbers.path, "--users", "10", "--duration", "5m"])
        #expect(o.status == 64)
        Self.expectOneClearLine(o, containing: "--env prod caps: --users 10 exceeds 5; --duration 300 s exceeds 120 s (pass --override-prod-caps")
        let chaos = try Self.run(["smoke", "--env", "prod", "--test-numbers", numbers.path, "--chaos", "ai-service-down=0.2"])
        #expect(chaos.status == 64)
        Self.expectOneClearLine(chaos, containing: "--chaos is not allowed")
        let noList = try Self.run(["smoke", "--env", "prod"])
        #expect(noList.status == 64)
        Self.expectOneClearLine(noList, containing: "--env prod needs --test-numbers FILE")
    }

    @Test func smokeTestNumberFileErrors() throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("smoke-bad-\(getpid()).txt")
        try Data("+250788123456\n0788 123 456\n".utf8).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }
        let o = try Self.run(["smoke", "--env", "prod", "--test-numbers", bad.path])
        #expect(o.status == 65)
        Self.expectOneClearLine(o, containing: "\(bad.path):2: '0788 123 456' is not an E.164 number")
        let missing = try Self.run(["smoke", "--env", "prod", "--test-numbers", "/nonexistent/numbers.txt"])
        #expect(missing.status == 66)
        Self.expectOneClearLine(missing, containing: "no such file")
    }

    @Test func unreachableTargetExits69() throws {
        let o = try Self.run(["--target", "http://127.0.0.1:1/webhook"], environment: ["WHATSAPP_APP_SECRET": "x"])
        #expect(o.status == 69)
        Self.expectOneClearLine(o, containing: "cannot reach target")
    }

    @Test func missingSecretExits78() throws {
        let o = try Self.run(["--target", "http://127.0.0.1:1/webhook"])
        #expect(o.status == 78)
        Self.expectOneClearLine(o, containing: "WHATSAPP_APP_SECRET")
    }

    @Test func secretFilesMissingOrEmpty() throws {
        let missing = try Self.run(["--target", "http://127.0.0.1:1/w", "--app-secret-file", "/nonexistent/secret"])
        #expect(missing.status == 66)
        Self.expectOneClearLine(missing, containing: "no such file")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-secret-\(getpid())")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        defer { try? FileManager.default.removeItem(at: empty) }
        let e = try Self.run(["--target", "http://127.0.0.1:1/w", "--app-secret-file", empty.path])
        #expect(e.status == 65)
        Self.expectOneClearLine(e, containing: "is empty")
    }

    @Test func portInUseExits71() async throws {
        let squatter = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let o = try Self.run(["--graph-listen", "127.0.0.1:\(squatter.port)"])
        #expect(o.status == 71)
        Self.expectOneClearLine(o, containing: "address already in use")
    }

    @Test func aPassingRunExits0AndAFailingOneExits1() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-cli-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let common = ["--concurrency", "3", "--journeys", "2", "--think-time", "0", "--duration", "30s", "--quiet"]
        let pass = try Self.run(common + ["--report-dir", dir.appendingPathComponent("pass").path])
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("verdict: PASS"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("pass/report.json").path))
        let fail = try Self.run(common + ["--criteria", "reply.p50<0.001ms", "--report-dir", dir.appendingPathComponent("fail").path])
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("verdict: FAIL"))
    }

    @Test func unwritableReportDirExits73() throws {
        let o = try Self.run(["--concurrency", "1", "--journeys", "1", "--think-time", "0", "--quiet", "--report-dir", "/proc/loadgen-cannot-write"])
        #expect(o.status == 73)
        Self.expectOneClearLine(o, containing: "cannot write")
    }

    @Test func secretsNeverReachOutput() throws {
        let o = try Self.run(["--target", "http://127.0.0.1:1/webhook"], environment: ["WHATSAPP_APP_SECRET": "super-secret-value-123"])
        #expect(!o.stderr.contains("super-secret-value-123") && !o.stdout.contains("super-secret-value-123"))
    }
}
