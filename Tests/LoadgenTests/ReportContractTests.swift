import Foundation
import Testing

/// report.json is a contract (schema version 1): the runtime redesign must not change which keys a
/// report has, nor the exit code. `Fixtures/keypaths-*.txt` were recorded with the binary before the
/// redesign (commit 2cb6a5b); each test runs today's binary the same way and compares.
@Suite(.timeLimit(.minutes(1)))
struct ReportContractTests {
    /// Nine fault windows, one per pattern (the last one open to the end), long enough that every one
    /// fires: a planned fault that never fires fails the run.
    static let windows = FailurePatternWindows.nine(first: 0.5, every: 1.5, length: 1.2)

    static let runs: [(fixture: String, arguments: [String])] = [
        ("default", ["--concurrency", "10", "--duration", "3s", "--think-time", "0.2s-0.5s"]),
        ("nine-patterns", ["--scenario", "nine-patterns", "--concurrency", "30", "--duration", "14s", "--think-time", "0.45s-0.55s",
                           "--reply-timeout", "6s", "--chaos", windows, "--statuses", "off"]),
        ("smoke", ["smoke", "--duration", "3s"]),
    ]

    @Test(arguments: runs.map(\.fixture))
    func keyPathsAndExitCodeAreUnchanged(fixture: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-contract-\(getpid())-\(fixture)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = try #require(Self.runs.first { $0.fixture == fixture }).arguments
        let o = try CommandLineTests.run(arguments + ["--report-dir", dir.path, "--quiet"])
        let (expectedStatus, expectedPaths) = try Self.fixture(fixture)
        #expect(o.status == expectedStatus, "stderr: \(o.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json")))
        let paths = Self.keyPaths(report)
        #expect(paths.subtracting(expectedPaths).sorted() == [], "keys the report gained")
        #expect(expectedPaths.subtracting(paths).sorted() == [], "keys the report lost")
        #expect((report as? [String: Any])?["schemaVersion"] as? Int == 1)
    }

    /// Every key path of a JSON value: `.a.b` for objects, `[]` for array elements (all elements merged).
    static func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1.value, prefix: prefix + "." + $1.key)) }
        }
        if let array = value as? [Any] {
            return array.reduce(into: [prefix + "[]"]) { $0.formUnion(keyPaths($1, prefix: prefix + "[]")) }
        }
        return [prefix]
    }

    static func fixture(_ name: String) throws -> (status: Int32, paths: Set<String>) {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/keypaths-\(name).txt")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let status = try #require(lines.first.flatMap { Int32($0.dropFirst("exit ".count)) })
        return (status, Set(lines.dropFirst().map(String.init)))
    }
}

/// Nine fault windows, one per failure pattern in the release notes' order, at rate 1; the last window
/// stays open to the end (its vendor notifications come late in a journey).
enum FailurePatternWindows {
    static let patterns = ["agent-unavailable", "ai-service-down", "context-lost", "invalid-input", "timeout", "no-results",
                           "payment-failure", "network-issues", "vendor-unavailable"]

    static func nine(first: Double, every: Double, length: Double) -> String {
        patterns.enumerated().map { i, p in
            let start = first + Double(i) * every
            return "\(p)=1@\(start)s-" + (p == "vendor-unavailable" ? "" : "\(start + length)s")
        }.joined(separator: ",")
    }
}
