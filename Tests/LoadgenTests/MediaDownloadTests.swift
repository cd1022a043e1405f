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

/// A bot that fetches every inbound photo through the Graph API, as Meta's flow goes: `GET /{media-id}`
/// for the url, then the download with its Bearer token, and answers with the byte count and whether
/// the bytes match the webhook's `sha256`. Against loadgen's stand-in it gets the right count.
@Suite(.timeLimit(.minutes(1)))
struct MediaDownloadTests {
    /// Answers each image with `got N bytes, sha256 ok` (or `… sha256 wrong`); remembers what it fetched.
    final class PhotoCounter: HTTPResponder, Sendable {
        let graph: HTTPClient
        let fetched = Mutex<[(id: String, count: Int)]>([])
        init(graphPort: Int) throws { graph = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: graphPort), maxConnections: 4) }

        func respond(to request: ServerRequest) async -> ServerResponse {
            if request.method == .GET { return .text(.ok, request.query["hub.challenge"] ?? "") }
            guard let root = try? JSONValue.parse(request.body),
                  let message = try? root.array("entry")?.first?.array("changes")?.first?.object("value")?.array("messages")?.first,
                  let from = try? message.string("from"), let image = try? message.object("image"),
                  let id = try? image.string("id"), let promised = try? image.string("sha256") else { return .text(.ok, "ok") }
            let auth: HTTPHeaders = ["Authorization": "Bearer t"]
            guard case .success(let info) = await graph.execute(method: .GET, path: "/v20.0/\(id)", headers: auth, body: [], timeout: .seconds(5)),
                  let url = try? JSONValue.parse(info.body).string("url"), let parts = URLComponents(string: url),
                  case .success(let file) = await graph.execute(method: .GET, path: parts.path + "?" + (parts.query ?? ""), headers: auth, body: [],
                                                               timeout: .seconds(5)), file.status == 200
            else { return .text(.internalServerError, "no media") }
            fetched.withLock { $0.append((id, file.body.count)) }
            let verdict = MediaBytes.sha256(file.body) == promised ? "ok" : "wrong"
            var w = JSONWriter()
            w.object { w in
                w.field("messaging_product", string: "whatsapp")
                w.field("to", string: from)
                w.field("type", string: "text")
                w.field("text") { w in w.object { $0.field("body", string: "got \(file.body.count) bytes, sha256 \(verdict)") } }
            }
            _ = await graph.execute(method: .POST, path: "/v20.0/\(BusinessIdentity.default.phoneNumberID)/messages",
                                    headers: ["Content-Type": "application/json", "Authorization": "Bearer t"], body: w.bytes, timeout: .seconds(5))
            return .text(.ok, "ok")
        }
    }

    static let photos = Scenario("photos", summary: "Users send photos; the bot counts their bytes.") {
        Persona("sends-photo") {
            Send.image(caption: "my carte jaune")
            Expect.reply(.regex("^got [0-9]+ bytes, sha256 ok$"))
        }
    }

    @Test func aBotThatDownloadsEachInboundImageGetsTheRightByteCount() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("photos-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let graphPort = try await ProxiedChaosTests.freePort()
        let bot = try PhotoCounter(graphPort: graphPort)
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        try ScenarioCatalog.install([Self.photos])
        defer { try? ScenarioCatalog.install([]) }
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await server.run(bot); return nil }
            defer { group.cancelAll() }
            return try await Loadgen.Run.parse([
                "--scenario", "photos", "--target", "http://127.0.0.1:\(server.port)/webhook", "--graph-listen", "127.0.0.1:\(graphPort)",
                "--concurrency", "3", "--journeys", "4", "--think-time", "0", "--quiet", "--report-dir", dir.path,
            ]).outcome(environment: ["WHATSAPP_APP_SECRET": "photo-secret"])
        }
        bot.graph.shutdown()
        #expect(outcome.report.totals.turns == 12)
        #expect(outcome.report.totals.errors == 0, "\(outcome.report.errorsByClass.filter { $0.value > 0 })")
        #expect(outcome.report.replies.matched == 12)
        let fetched = bot.fetched.withLock { $0 }
        #expect(fetched.count == 12)
        for (id, count) in fetched {
            #expect(count == MediaBytes.content(ofID: id).count && count >= 2_048, "\(id)")
        }
        #expect(Set(fetched.map(\.id)).count == 12)  // every message its own photo
    }
}
