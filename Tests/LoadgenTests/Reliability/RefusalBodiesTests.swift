import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import NIOHTTP1
import Testing

/// A run the target refuses says why in every human format: the console, summary.md and report.html
/// show `http_429 ×N: {"error":"Rate limit exceeded"}`, from report.json's `errorSamples`, with the
/// secrets the target echoed redacted.
@Suite(.timeLimit(.minutes(1)))
struct RefusalBodiesTests {
    /// Passes the verify handshake, then refuses every delivery with 429, echoing the app secret.
    struct Refuser: HTTPResponder {
        func respond(to request: ServerRequest) async -> ServerResponse {
            if request.method == .GET { return .text(.ok, request.query["hub.challenge"] ?? "") }
            return .json(.tooManyRequests, Array(#"{"error":"Rate limit exceeded","echo":"refuser-secret-42"}"#.utf8))
        }
    }

    @Test func aRunRefusedWith429sShowsTheBodiesInEveryHumanFormat() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let serving = Task { await server.run(Refuser()) }
        defer { serving.cancel() }
        let o = try CommandLineTests.run([
            "--target", "http://127.0.0.1:\(server.port)/webhook", "--replies", "none", "--concurrency", "2", "--journeys", "3",
            "--think-time", "0", "--report-dir", dir.path,
        ], environment: ["WHATSAPP_APP_SECRET": "refuser-secret-42"])
        #expect(o.status == 1, "stderr: \(o.stderr)")  // the error-rate criterion failed
        let said = #"{"error":"Rate limit exceeded","echo":"[redacted]"}"#
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: dir.appendingPathComponent("report.json")))
        let refused = try #require(report.errorsByClass["http_429"])
        #expect(refused == report.totals.turns && refused > 0)
        #expect(report.errorSamples == ["http_429": [said]])
        #expect(o.stdout.contains("http_429 ×\(refused): \(said)"), "stdout: \(o.stdout)")
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("| http_429 | \(refused) | `\(said)` |"), "\(summary)")
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("\"errorSamples\"") && html.contains("What the target said"))
        for text in [o.stdout, o.stderr, summary, html] { #expect(!text.contains("refuser-secret-42")) }
    }
}
