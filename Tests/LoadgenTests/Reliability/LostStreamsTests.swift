import Foundation
import Testing

/// A terminal that goes away loses lines, never the report: with stderr closed, full, or a pipe whose
/// reader is gone (and stdout full), a run still measures, writes report.json and exits by its verdict.
/// (The first log line used to trap in `FileHandle.write`: SIGILL and no report.)
@Suite(.timeLimit(.minutes(1)))
struct LostStreamsTests {
    enum Sink: String, CaseIterable, CustomTestStringConvertible {
        case stderrClosed, stderrFull, stderrPipeWithoutReader, stdoutFull
        var testDescription: String { rawValue }
    }

    @Test(arguments: Sink.allCases)
    func aRunWithoutItsStreamsStillWritesItsReport(sink: Sink) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-streams-\(sink.rawValue)-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["--concurrency", "2", "--journeys", "2", "--think-time", "0", "--duration", "20s", "--report-dir", dir.path]
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let full = FileHandle(forWritingAtPath: "/dev/full")
        switch sink {
        case .stderrClosed:  // the shell's 2>&-
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" 2>&-", CommandLineTests.binary.path] + args
        case .stderrFull: process.standardError = full
        case .stderrPipeWithoutReader:
            let pipe = Pipe()
            try pipe.fileHandleForReading.close()  // every write to stderr now fails with EPIPE
            process.standardError = pipe
        case .stdoutFull: process.standardOutput = full
        }
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(report?["verdict"] as? String == "pass")
        #expect((report?["totals"] as? [String: Any])?["turns"] as? Int == 4)
    }
}
