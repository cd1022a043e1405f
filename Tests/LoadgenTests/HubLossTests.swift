import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOHTTP1
import Synchronization
import Testing

/// A shard that loses its hub says so — a failed `hub` check, when, and the turns it could not judge as
/// `hub_lost` — and never blames the bot with `no_reply` for replies that had no way to reach it.
@Suite(.timeLimit(.minutes(1)))
struct HubLossTests {
    @Test func aShardThatLosesItsHubSaysSoAndJudgesNoTurnItCannot() async throws {
        let (webhooks, heard) = AsyncStream.makeStream(of: Void.self)
        let bot = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let hub = try await MessageSocketListener.bind(host: "127.0.0.1", port: 0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-hub-loss-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Loadgen.Run.parse([
            "--hub", hub.baseURL, "--shard", "0/1", "--target", bot.baseURL + "/webhook", "--concurrency", "2", "--duration", "30s",
            "--think-time", "0", "--reply-timeout", "20s", "--statuses", "off", "--report-dir", dir.path, "--quiet",
        ])
        let lines = LogLines()
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await bot.run(AckingBot(heard: heard)); return nil }
            group.addTask { await hub.run { await HubThatLeaves.serve($0, leavingAfter: webhooks) }; return nil }
            defer { group.cancelAll() }
            return try await run.outcome(environment: ["WHATSAPP_APP_SECRET": "loss-secret"]) { lines.add($0) }
        }
        let r = outcome.report
        let lost = r.errorsByClass["hub_lost"] ?? 0
        #expect(lost >= 1 && r.errorsByClass["no_reply"] == 0 && r.totals.errors == lost, "\(r.errorsByClass) \(String(describing: r.metrics?.errorSamples))")
        #expect(r.run.elapsedSeconds < 10, "waiting turns were cut off, not left to their 20 s timeout")
        #expect(r.run.hub?.lostAtSeconds != nil && r.partial == false)
        let check = try #require(r.checks.first { $0.name == "hub" })
        #expect(check.status == .fail && check.detail.contains("lost the hub") && check.detail.contains("\(lost) turns could not be judged (hub_lost)"),
                "\(check.detail)")
        #expect(outcome.status == .criteriaFailed)
        #expect(lines.all.contains { $0.hasPrefix("lost the hub at \(hub.baseURL)/") }, "\(lines.all)")
    }

    /// A bot that acks every webhook and answers nothing (its replies would go to the hub).
    struct AckingBot: HTTPResponder {
        let heard: AsyncStream<Void>.Continuation
        func respond(to request: ServerRequest) async -> ServerResponse {
            if request.method == .POST { heard.yield() }
            return .json(.ok, Array("{}".utf8))
        }
    }

    /// A hub that takes the shard, starts it at once, and goes away when the bot heard the first message.
    enum HubThatLeaves {
        static func serve(_ socket: MessageSocket, leavingAfter webhooks: AsyncStream<Void>) async {
            let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1e9) }
            _ = try? await socket.session { messages, writer in
                for try await line in messages {
                    switch HubMessage(decoding: line) {
                    case .hello?: try await writer.send(HubMessage.welcome.encoded)
                    case .ping(let id)?: try await writer.send(HubMessage.pong(id: id, hubTime: now()).encoded)
                    case .ready?:
                        try await writer.send(HubMessage.start(hubTime: now()).encoded)
                        for await _ in webhooks { return 0 }  // closes the connection: the shard lost its hub
                    default: continue
                    }
                }
                return 0
            }
        }
    }
}

/// What a run said, line by line.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
