import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Issue 12's done-when line: a bot that sends two bubbles a second to one user under
/// `--graph-limits meta` sees 131056 errors and `failed` statuses, and the report counts them.
///
/// The bot tracks orders: each time the customer (the simulated user, writing once a second) asks where
/// the order is, it answers with two bubbles — two a second to one user. Past the pair bucket Meta fails
/// the next bucket's worth later (a `failed` status with 131056) and refuses the rest on the spot (HTTP
/// 429, 131056). The bucket is tuned to 2 messages refilled one a minute (`meta,pair=2/1m`), so the
/// test needs 8 bubbles, not 91, and no token comes back while it runs: every count is exact whatever
/// the machine's speed.
@Suite(.timeLimit(.minutes(1)))
struct PairRateBotTests {
    /// What the bot saw: the answer to each of its Graph sends, and each status webhook Meta sent it.
    final class OrderBot: HTTPResponder, Sendable {
        struct Status: Equatable { var status: String, code: Int?, priced: Bool }
        let graph: HTTPClient
        let sends = Mutex<[(status: Int, code: Int?)]>([])
        let statuses = Mutex<[Status]>([])
        init(graphPort: Int) throws { graph = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: graphPort), maxConnections: 4) }

        func respond(to request: ServerRequest) async -> ServerResponse {
            if request.method == .GET { return .text(.ok, request.query["hub.challenge"] ?? "") }
            guard let root = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                  let value = ((root["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first?["value"] as? [String: Any]
            else { return .text(.ok, "ok") }
            for s in value["statuses"] as? [[String: Any]] ?? [] {
                statuses.withLock {
                    $0.append(Status(status: s["status"] as? String ?? "", code: (s["errors"] as? [[String: Any]])?.first?["code"] as? Int,
                                     priced: s["pricing"] != nil))
                }
            }
            guard let message = (value["messages"] as? [[String: Any]])?.first, let from = message["from"] as? String,
                  let id = message["id"] as? String else { return .text(.ok, "ok") }
            for (bubble, quoting) in [("Your order is on its way.", id), ("The courier is 5 minutes away.", nil)] {
                let answer = await send(to: from, bubble, quoting: quoting)
                sends.withLock { $0.append(answer) }
            }
            return .text(.ok, "ok")
        }

        /// A text send; the HTTP status and Meta's error code, if any.
        private func send(to: String, _ body: String, quoting: String?) async -> (status: Int, code: Int?) {
            var w = JSONWriter()
            w.object { w in
                w.field("messaging_product", string: "whatsapp")
                w.field("to", string: to)
                if let quoting { w.field("context") { w in w.object { $0.field("message_id", string: quoting) } } }
                w.field("type", string: "text")
                w.field("text") { w in w.object { $0.field("body", string: body) } }
            }
            guard case .success(let r) = await graph.execute(
                method: .POST, path: "/v20.0/\(BusinessIdentity.default.phoneNumberID)/messages",
                headers: ["Content-Type": "application/json", "Authorization": "Bearer t"], body: w.bytes, timeout: .seconds(5))
            else { return (0, nil) }
            let error = (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])?["error"] as? [String: Any]
            return (r.status, error?["code"] as? Int)
        }
    }

    static let orders = Scenario("order-pings", summary: "A customer asks where the order is, once a second.") {
        Persona("customer") {  // one question a journey: a question left unanswered does not end the run
            Send.text("Where is my order?")
            Expect.reply(.regex("on its way"))
        }
    }

    @Test func aBotSendingTwoBubblesASecondToOneUserSees131056AndFailedStatuses() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pair-rate-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let graphPort = try await ProxiedChaosTests.freePort()
        let bot = try OrderBot(graphPort: graphPort)
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        try ScenarioCatalog.install([Self.orders])
        defer { try? ScenarioCatalog.install([]) }
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await server.run(bot); return nil }
            defer { group.cancelAll() }
            return try await Loadgen.Run.parse([
                "--scenario", "order-pings", "--target", "http://127.0.0.1:\(server.port)/webhook", "--graph-listen", "127.0.0.1:\(graphPort)",
                "--concurrency", "1", "--journeys", "4", "--think-time", "1s", "--reply-timeout", "1s", "--graph-limits", "meta,pair=2/1m",
                "--quiet", "--report-dir", dir.path,
            ]).outcome(environment: ["WHATSAPP_APP_SECRET": "order-secret"])
        }
        bot.graph.shutdown()
        // The bot's view: two bubbles go through, the next two are accepted, the last four refused with 131056 at 429…
        let sends = bot.sends.withLock { $0 }
        #expect(sends.map(\.status) == [200, 200, 200, 200, 429, 429, 429, 429])
        #expect(sends.map(\.code) == [nil, nil, nil, nil, 131056, 131056, 131056, 131056])
        // …the two accepted past the bucket failed later, each in one `failed` status with 131056; the two
        // that went through were sent, delivered and read, priced on sent and delivered.
        let statuses = bot.statuses.withLock { $0 }
        #expect(statuses.filter { $0.status == "failed" } == Array(repeating: .init(status: "failed", code: 131056, priced: false), count: 2))
        #expect(statuses.filter { $0.status == "sent" && $0.priced }.count == 2 && statuses.filter { $0.status == "read" && !$0.priced }.count == 2)
        // The report counts them; the customer heard back once, and the other three turns say so.
        let r = outcome.report
        #expect(r.graphLimits == GraphLimitCounts(pairRate: 4, pairRateFailed: 2, throughput: 0, window: 0))
        #expect(r.totals.turns == 4 && r.errorsByClass["no_reply"] == 3, "\(r.errorsByClass.filter { $0.value > 0 })")
        #expect(r.replies.matched == 1 && r.replies.unknownUser == 0 && r.replies.refused == 0)
        let line = "Meta's limits hit: pair rate 4 refused + 2 failed later (131056), throughput 0 (130429), window 0 (131047, failed statuses)"
        #expect(ConsoleSummary.render(r).contains(line))
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("| pair rate | 131056 | 4 | refused (HTTP 429) |")
            && summary.contains("| pair rate, just past the bucket | 131056 | 2 | accepted, then a `failed` status |"), "\(summary)")
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains(#""graphLimits":{"pairRate":4,"pairRateFailed":2,"throughput":0,"window":0}"#) && html.contains("renderGraphLimits"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(json?["graphLimits"] as? NSDictionary == ["pairRate": 4, "pairRateFailed": 2, "throughput": 0, "window": 0])
    }
}
