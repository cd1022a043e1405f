import Foundation
import Testing

/// The shell in deploy/kubernetes, run as it is written, with `/reports` in a temporary folder and, for
/// the shard, a stand-in `loadgen`: the shard hands SIGTERM on to loadgen (which then writes its partial
/// report) and records how loadgen ended; the merge's wait ends when every shard has ended — with a
/// report, with an `exit` and none, with a beat gone stale, or never started while the others ended —
/// and says which shards left no report.
@Suite(.timeLimit(.minutes(1)))
struct ManifestScriptsTests {
    typealias M = DeployManifests

    /// The `sh -c` script of `container` of Job `job`, its `/reports` moved to `reports`.
    static func script(job: String, container: String, reports: URL) throws -> String {
        let pod = M.podSpec(try M.object("Job", job, in: try M.documents(try M.files())))
        let command = try #require(M.containers(pod).first { $0["name"] as? String == container }?["command"] as? [String])
        #expect(command.prefix(2) == ["/bin/sh", "-c"])
        return command[2].replacingOccurrences(of: "/reports", with: reports.path)
    }

    /// A stand-in `loadgen` in `bin`: it says `ready`, then ends with `status`, or — with nil — waits for
    /// SIGTERM and then, as loadgen does, writes a partial report and ends with 130.
    static func standIn(in bin: URL, status: Int32?) throws {
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let body = status.map { "echo ready; exit \($0)" } ?? """
            trap 'kill $! 2>/dev/null; echo partial > "$SHARD_DIR/report.json"; exit 130' TERM
            echo ready
            sleep 30 & wait $!
            exit 3
            """
        let file = bin.appendingPathComponent("loadgen")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
    }

    /// Runs the shard's script around a stand-in ending with `status` (nil: stopped by SIGTERM once ready).
    private func shard(status: Int32?) throws -> (exit: Int32, folder: URL) {
        let root = try temporaryFolder("shard-script")
        try Self.standIn(in: root.appendingPathComponent("bin"), status: status)
        let folder = root.appendingPathComponent("run-1/shard-2")
        // Started as a container's process is: every signal's default action (this test process may be
        // ignoring SIGTERM while a run under test has loadgen's handler in, and a child inherits that), and
        // no descriptor but the standard three (Foundation waits for every process holding the one it
        // hands a child, and the shard's beat may leave a `sleep` behind it for a moment).
        let process = Process()
        process.executableURL = try PythonEnvironment.kubernetesValidate.ready()
        process.arguments = ["-c", "import os, signal, sys; [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGTERM, signal.SIGINT)]; "
                                 + "os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])",
                             "/bin/sh", "-c", try Self.script(job: "loadgen-shards", container: "shard", reports: root), "loadgen-shard", "run"]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = root.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        (environment["RUN_ID"], environment["JOB_COMPLETION_INDEX"], environment["SHARD_DIR"]) = ("run-1", "2", folder.path)
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let ready = String(decoding: out.fileHandleForReading.readData(ofLength: 6), as: UTF8.self)  // blocks until the stand-in runs
        #expect(ready == "ready\n")
        if status == nil { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return (process.terminationStatus, folder)
    }

    private static func contents(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    @Test func theShardHandsSIGTERMToLoadgenAndRecordsHowItEnded() throws {
        let (status, folder) = try shard(status: nil)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        #expect(status == 130, "loadgen's own status on SIGTERM, not the shell's death by the signal")
        #expect(Self.contents(folder.appendingPathComponent("report.json")) == "partial\n", "loadgen heard the signal and wrote its report")
        #expect(Self.contents(folder.appendingPathComponent("exit")) == "130\n")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("alive").path))
    }

    @Test(arguments: [(Int32(1), Int32(0)), (0, 0), (64, 64), (137, 137)])
    func theShardRecordsLoadgensStatusAndCountsItsOwnVerdictAsDone(loadgen: Int32, pod: Int32) throws {
        let (status, folder) = try shard(status: loadgen)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        #expect(status == pod)
        #expect(Self.contents(folder.appendingPathComponent("exit")) == "\(loadgen)\n")
    }

    /// What a shard left in its folder (not a fresh beat: the wait would go on, as it should).
    enum Left { case report, exit(Int), staleBeat, nothing }

    /// Runs the merge's wait over shards that left `left`; its status and what it said.
    private func wait(_ left: [Left], mergedBefore: Bool = false) throws -> (status: Int32, said: String) {
        let root = try temporaryFolder("merge-wait")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = root.appendingPathComponent("run-1")
        for (i, what) in left.enumerated() {
            let dir = run.appendingPathComponent("shard-\(i)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            switch what {
            case .report: try Data("{}".utf8).write(to: dir.appendingPathComponent("report.json"))
            case .exit(let status): try Data("\(status)\n".utf8).write(to: dir.appendingPathComponent("exit"))
            case .staleBeat:
                let alive = dir.appendingPathComponent("alive")
                try Data().write(to: alive)
                try FileManager.default.setAttributes([.modificationDate: Date() - 300], ofItemAtPath: alive.path)
            case .nothing: break
            }
        }
        if mergedBefore { try FileManager.default.createDirectory(at: run.appendingPathComponent("merged"), withIntermediateDirectories: true) }
        let script = try Self.script(job: "loadgen-merge", container: "wait-for-shards", reports: root)
        let o = try CommandLineTests.run(["-c", script], environment: ["RUN_ID": "run-1", "SHARDS": "\(left.count)"],
                                         executable: URL(fileURLWithPath: "/bin/sh"))
        return (o.status, o.stdout + o.stderr)
    }

    @Test func theMergeGoesOnWhenEveryShardHasReported() throws {
        let o = try wait([.report, .report, .report])
        #expect(o.status == 0)
        #expect(o.said.hasPrefix("loadgen-merge: 3 of 3 shard reports are in "), "\(o.said)")
        #expect(!o.said.contains("no report from"))
    }

    @Test func theMergeStopsWaitingForAShardThatEndedWithoutAReportOrWhosePodDied() throws {
        let o = try wait([.report, .exit(137), .staleBeat, .report])
        #expect(o.status == 0, "the reports there are merge, and the merge's shards check fails: \(o.said)")
        #expect(o.said.contains("no report from: shard-1 (loadgen ended with 137 and wrote no report) shard-2 (its pod stopped beating"), "\(o.said)")
        #expect(o.said.contains("2 of 4 shard reports are in"), "\(o.said)")
    }

    @Test func shardsThatNeverStartedWhileTheOthersEndedAreNamedAndNothingToMergeIs69() throws {
        let o = try wait([.exit(69), .nothing, .nothing])
        #expect(o.status == 69)
        #expect(o.said.contains("shard-1 (its pod never started) shard-2 (its pod never started)"), "\(o.said)")
        #expect(o.said.contains("no shard wrote a report"), "\(o.said)")
    }

    @Test func aRunMergedBeforeIsRefused() throws {
        let o = try wait([.report], mergedBefore: true)
        #expect(o.status == 64)
        #expect(o.said.contains("RUN_ID 'run-1' was run before"), "\(o.said)")
    }
}
