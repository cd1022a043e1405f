import Foundation
import LoadgenCore
import LoadgenHTTP
@testable import LoadgenRuntime
import LoadgenTesting
import NIOCore
import NIOHTTP1
@testable import ReferenceBot
import Testing

/// A bot that cannot keep up says so: each message's wait for a reply worker is measured, and a run
/// against the embedded bot carries an `embedded bot` check that fails when over 1 % of its messages (and
/// at least 5) waited over 100 ms.
@Suite(.timeLimit(.minutes(1)))
struct FallingBehindTests {
    /// A Graph API that takes 150 ms to answer each send: one reply worker gets eight messages at once,
    /// so the second waits 150 ms for it and the eighth at least 1.05 s.
    struct SlowGraph: HTTPResponder {
        let log: SendLog
        func respond(to request: ServerRequest) async -> ServerResponse {
            await LoopTimers.shared.sleep(for: .milliseconds(150))
            if let send = try? GraphSend.parse(request.body) { log.record(send) }
            return .json(.ok, Array(#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.slow"}]}"#.utf8))
        }
    }

    @Test func messagesThatWaitOver100MillisecondsAreCountedAndTheCheckFails() async throws {
        let secret = Secret("s")
        let log = SendLog()
        let graph = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        var config = BotConfiguration(appSecret: secret, verifyToken: Secret("v"), accessToken: Secret("t"),
                                      graphBaseURL: try TargetURL(graph.baseURL + "/v20.0"))
        config.senderWorkers = 1
        let bot = try ReferenceBot(config: config)
        let server = try await bot.bind()
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: server.port), maxConnections: 4)
        let signer = WebhookSigner(appSecret: secret)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await graph.run(SlowGraph(log: log)) }
            group.addTask { await bot.run(on: server) }
            defer { group.cancelAll() }
            for n in 0..<8 {
                let user = SimulatedUser(index: n, seed: 1)
                let body = WebhookEnvelope.render(InboundMessage(id: "wamid.LATE\(n)", timestamp: 1_750_000_000, content: .text("MENU")),
                                                  from: user, business: .default)
                let ack = try await client.postSigned(body, signer: signer).get()
                #expect(ack.status == 200)
            }
            _ = await log.waitFor(8)
        }
        client.shutdown()
        let counts = bot.counts
        #expect(counts.startedLate >= 6)
        #expect(counts.longestQueueWaitMilliseconds >= 1050)
        let check = Rig.keptUp(counts)
        #expect(check.status == .fail)
        #expect(check.detail.hasPrefix("fell behind: \(counts.startedLate) of 8 messages waited over 100 ms for a reply worker"))
    }

    @Test func aBotThatKeptUpPasses() {
        var counts = BotCounts()
        counts.processed = 100
        counts.longestQueueWaitMilliseconds = 12
        let check = Rig.keptUp(counts)
        #expect(check.status == .pass)
        #expect(check.detail == "kept up: no message waited over 100 ms for a reply worker (longest 12 ms)")
    }

    /// A stall or two of a shared machine is not falling behind; a share of the run is.
    @Test func aFewLateMessagesPassAShareFails() {
        var counts = BotCounts()
        counts.processed = 1_000
        counts.longestQueueWaitMilliseconds = 180
        counts.startedLate = 4
        #expect(Rig.keptUp(counts).status == .pass)
        #expect(Rig.keptUp(counts).detail == "kept up: 4 of 1000 messages waited over 100 ms for a reply worker (longest 180 ms)")
        counts.startedLate = 10
        #expect(Rig.keptUp(counts).status == .pass)  // 1 %: not over it
        counts.startedLate = 11
        #expect(Rig.keptUp(counts).status == .fail)
        counts.processed = 100
        counts.startedLate = 4
        #expect(Rig.keptUp(counts).status == .pass)  // 4 %, but fewer than 5
        counts.startedLate = 5
        #expect(Rig.keptUp(counts).status == .fail)
    }
}

extension HTTPClient {
    /// A signed webhook POST.
    fileprivate func postSigned(_ body: [UInt8], signer: WebhookSigner) async -> Result<ClientResponse, ClientFailure> {
        await execute(method: .POST, path: "/webhook", headers: ["Content-Type": "application/json",
                                                                 "X-Hub-Signature-256": signer.signature(for: body)],
                      body: body, timeout: .seconds(5))
    }
}
