import Foundation
import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1
import Testing


/// Signals and a full disk against the built binary: a stop always stops, at once where nothing is
/// measured yet, and what was measured reaches stdout even when no file can hold it.
@Suite(.timeLimit(.minutes(1)))
struct SignalsAndDiskTests {
    /// A target that takes requests and never answers them (and says when one arrived).
    struct Silent: HTTPResponder {
        var arrived: @Sendable () -> Void = {}
        func respond(to request: ServerRequest) async -> ServerResponse {
            arrived()
            await StopSignal().wait()  // until the server's task is cancelled
            return .dropConnection
        }
    }

    /// Starts the binary with `arguments`, waits (by reading stderr, not sleeping) for `line`, then sends `signals`.
    static func interrupt(_ arguments: [String], after line: String, with signals: [Int32], environment: [String: String] = [:]) throws
        -> (status: Int32, reason: Process.TerminationReason, stderr: String)
    {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = read(err, until: line)
        for signo in signals { kill(process.processIdentifier, signo) }
        seen += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, seen)
    }

    /// What `pipe` says until it has said `line` (or closed): reading, not sleeping.
    static func read(_ pipe: Pipe, until line: String) -> String {
        var seen = ""
        while !seen.contains(line) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        return seen
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aStopWritesAPartialReportAndExits130(signal: Int32) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-stop-\(signal)-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let o = try Self.interrupt(["--concurrency", "3", "--duration", "60s", "--think-time", "0.05s", "--report-dir", dir.path],
                                   after: "running scenario", with: [signal])
        #expect(o.reason == .exit && o.status == 130, "\(o.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(report?["partial"] as? Bool == true)
        #expect(report?["schemaVersion"] as? Int == 1)
    }

    /// Ctrl-C while the preflight waits for a target that never answers: stopped at once, 130, not a
    /// wait for the 10 s preflight to give up with 69.
    @Test func ctrlCDuringThePreflightStopsAtOnce() async throws {
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let serving = Task { await server.run(Silent()) }
        defer { serving.cancel() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-preflight-int-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let started = ContinuousClock.now
        let o = try Self.interrupt(["--target", "http://127.0.0.1:\(server.port)/webhook", "--report-dir", dir.path],
                                   after: "stand-in Graph API listening", with: [SIGINT],
                                   environment: ["WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "t"])
        #expect(o.reason == .exit && o.status == 130, "\(o.stderr)")
        #expect(ContinuousClock.now - started < .seconds(9), "waited for the preflight's 10 s")  // generous: a bound, not a benchmark
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report.json").path))
    }

    /// `loadgen proxy` in front of an upstream that stalls: the first Ctrl-C ends it at once, the stalled
    /// request cut, not held for its 60 s.
    @Test func ctrlCStopsAProxyHoldingAStalledRequest() async throws {
        let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)
        let upstream = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let serving = Task { await upstream.run(Silent(arrived: { arrived.yield() })) }
        defer { serving.cancel() }
        let listen = try await ProxiedChaosTests.freePort()
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["proxy", "--upstream", "llm=\(upstream.baseURL)", "--listen", "127.0.0.1:\(listen)", "--chaos", "timeout=0"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        _ = Self.read(err, until: "press Ctrl-C")
        let client = try HTTPClient(origin: try TargetURL("http://127.0.0.1:\(listen)").origin, maxConnections: 1)
        let request = Task { await client.execute(method: .POST, path: "/v1/chat/completions", body: Array("{}".utf8), timeout: .seconds(120)) }
        for await _ in arrivals { break }  // the proxy forwarded it and holds it
        let started = ContinuousClock.now
        process.interrupt()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(ContinuousClock.now - started < .seconds(20), "held the stalled request")  // a bound, not a benchmark
        request.cancel()
    }

    /// A full disk: the report directory passes its probe, the report does not fit. The summary still
    /// reaches stdout, one line says what could not be written, and the exit code is 73.
    @Test(.enabled(if: Tmpfs.canMount, "needs root to mount a small tmpfs"))
    func aFullDiskStillPrintsTheSummary() throws {
        let dir = try Tmpfs.mount(size: "48k")
        defer { Tmpfs.unmount(dir) }
        let o = try CommandLineTests.run(["--concurrency", "2", "--journeys", "2", "--think-time", "0", "--quiet", "--report-dir", dir.path])
        #expect(o.status == 73, "\(o.stderr)")
        #expect(o.stdout.contains("verdict: PASS"), "\(o.stdout)")
        CommandLineTests.expectOneClearLine(o, containing: "cannot write")
    }
}

/// A small tmpfs, where the test runs as root (CI does); else the disk-full test is not run.
enum Tmpfs {
    static let canMount: Bool = {
        guard let dir = try? mount(size: "16k") else { return false }
        unmount(dir)
        return true
    }()

    static func mount(size: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-tmpfs-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", dir.path]) == 0 else {
            try? FileManager.default.removeItem(at: dir)
            throw CocoaError(.fileWriteNoPermission)
        }
        return dir
    }

    static func unmount(_ dir: URL) {
        _ = run("/bin/umount", [dir.path])
        try? FileManager.default.removeItem(at: dir)
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
