import Foundation
import LoadgenCore
import Testing

/// A real WhatsApp library in our tests: a bot on pywa (PyPI), its Graph host left as pywa has it
/// (`https://graph.facebook.com`), reached only through `loadgen --graph-proxy` in its environment.
/// pywa checks the handshake's verify token and every delivery's signature; loadgen must see every
/// turn answered, measure every reply, and match every one to its user.
@Suite(.timeLimit(.minutes(5)))
struct PywaBotTests {
    static let secrets = ["WHATSAPP_APP_SECRET": "pywa-app-secret", "WHATSAPP_VERIFY_TOKEN": "pywa-verify-token",
                          "WHATSAPP_ACCESS_TOKEN": "EAApywa-access-token"]

    @Test func aPywaBotWithItsGraphHostHardCodedIsMeasuredThroughTheGraphProxy() throws {
        let python = try PythonEnvironment.pywa.ready()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-pywa-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ca = try CommandLineTests.run(["ca", "--ca-dir", dir.appendingPathComponent("ca").path])
        #expect(ca.status == 0, "\(ca.stderr)")

        let botLog = dir.appendingPathComponent("bot.log")
        let bot = try Self.startBot(python: python, caFile: dir.appendingPathComponent("ca/ca.pem"), log: botLog)
        defer { bot.stop() }
        let botSaid = Self.read(bot.stdout, untilLineContaining: "listening on http://127.0.0.1:")
        let botURL = try #require(botSaid.line?.split(separator: " ").last, "the bot did not start: \(Self.contents(botLog))")

        let loadgen = try Self.startLoadgen([
            "--target", "\(botURL)/webhook", "--graph-proxy", "127.0.0.1:0", "--ca-dir", dir.appendingPathComponent("ca").path,
            "--concurrency", "4", "--journeys", "3", "--duration", "60s", "--think-time", "0", "--criteria", "errorRate<1%",
            "--report-dir", dir.appendingPathComponent("report").path, "--quiet",
        ])
        defer { loadgen.stop() }
        let said = Self.read(loadgen.stderr, untilLineContaining: "loadgen: graph proxy listening on ")
        let address = try #require(said.line.flatMap(Self.proxyAddress), "no proxy address in: \(said.seen)")
        bot.stdin.write(Data("http://\(address)\n".utf8))  // see pywa_bot.py: each side's port is known once it has bound
        let rest = String(decoding: loadgen.stderr.readDataToEndOfFile(), as: UTF8.self)
        let summary = String(decoding: loadgen.stdout.readDataToEndOfFile(), as: UTF8.self)
        loadgen.process.waitUntilExit()
        let diagnostics = "loadgen said:\n\(said.seen)\(rest)\n\(summary)\nthe bot said:\n\(Self.contents(botLog))"
        #expect(loadgen.process.terminationStatus == 0, "\(diagnostics)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report/report.json"))) as? [String: Any])
        let totals = report["totals"] as? [String: Any], latency = report["latency"] as? [String: [String: Any]]
        let errors = report["errorsByClass"] as? [String: Int], replies = report["replies"] as? [String: Int]
        let run = report["run"] as? [String: Any], checks = report["checks"] as? [[String: Any]]
        #expect(totals?["turns"] as? Int == 12 && totals?["errors"] as? Int == 0, "\(diagnostics)")
        #expect(latency?["ack"]?["count"] as? Int == 12, "every delivery acked with 200 by pywa, signature checked")
        #expect(latency?["reply"]?["count"] as? Int == 12, "every reply measured")
        #expect(errors?["no_reply"] == 0 && replies?["matched"] == 12 && replies?["unknownUser"] == 0 && replies?["refused"] == 0, "\(diagnostics)")
        #expect(checks?.first { $0["name"] as? String == "handshake" }?["status"] as? String == "pass", "pywa checked the verify token")
        let proxy = run?["graphProxy"] as? [String: Any]
        #expect(proxy?["address"] as? String == address && proxy?["intercepted"] as? Int == 12 && proxy?["refused"] as? Int == 0, "\(proxy ?? [:])")
        let statuses = (report["delivery"] as? [String: Any])?["statusCallbacks"] as? [String: Int]
        #expect(statuses?["sent"] == 36 && statuses?["failed"] == 0, "every status webhook acked with 200 by pywa: \(statuses ?? [:])")
        // …and parsed by pywa, which reads each status's user from `contacts[]` (as Meta names them since the
        // BSUID rollout): a status it cannot parse is acked all the same, so only its own count tells.
        let parsed = Self.contents(botLog).split(separator: "\n").filter { $0.contains("pywa parsed status ") && !$0.hasSuffix(" for None") }
        #expect(parsed.count == 36, "pywa parsed \(parsed.count) of 36 statuses: \(Self.contents(botLog).suffix(3000))")
    }

    /// `127.0.0.1:PORT` from loadgen's `graph proxy listening on 127.0.0.1:PORT: …` line.
    static func proxyAddress(_ line: String) -> String? {
        guard let after = line.range(of: "listening on ")?.upperBound else { return nil }
        let address = line[after...].prefix { $0 != " " }.dropLast()  // the colon after the port
        return address.isEmpty ? nil : String(address)
    }

    struct Started {
        let process: Process
        let stdin: FileHandle
        let stdout: FileHandle
        let stderr: FileHandle

        /// Ends the process for sure: a child of the test runner inherits its blocked SIGTERM, so it is
        /// killed (the bot also leaves by itself when its stdin closes).
        func stop() {
            try? stdin.close()
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// The pywa bot, its secrets and loadgen's CA in its environment (never in argv), its log in a file.
    static func startBot(python: URL, caFile: URL, log: URL) throws -> Started {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        environment.merge(secrets) { $1 }
        environment["WHATSAPP_PHONE_NUMBER_ID"] = BusinessIdentity.default.phoneNumberID
        environment["SSL_CERT_FILE"] = caFile.path
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        return try start(python, [PythonEnvironment.fixtures.appendingPathComponent("pywa_bot.py").path], environment: environment,
                         stderr: try FileHandle(forWritingTo: log))
    }

    static func startLoadgen(_ arguments: [String]) throws -> Started {
        try start(CommandLineTests.binary, arguments, environment: ProcessInfo.processInfo.environment.merging(secrets) { $1 }, stderr: nil)
    }

    private static func start(_ executable: URL, _ arguments: [String], environment: [String: String], stderr: FileHandle?) throws -> Started {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = stderr ?? errors
        try process.run()
        return Started(process: process, stdin: input.fileHandleForWriting, stdout: output.fileHandleForReading, stderr: errors.fileHandleForReading)
    }

    /// What `handle` says until it has said a whole line containing `marker` (or closed): reading, not sleeping.
    static func read(_ handle: FileHandle, untilLineContaining marker: String) -> (seen: String, line: String?) {
        var seen = ""
        while true {
            if let line = seen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first(where: { $0.contains(marker) }) {
                return (seen, String(line))
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return (seen, nil) }
            seen += String(decoding: chunk, as: UTF8.self)
        }
    }

    static func contents(_ file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "(nothing)" }
}
