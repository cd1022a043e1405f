import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOCore
import NIOHTTP1
@testable import ReferenceBot
import Synchronization
import Testing

/// Meta's at-least-once in its nastiest form: the bot processed a message but its 200 was lost, so
/// the same delivery comes again. A front that passes every request to the reference bot but answers
/// every 2nd POST with 503 makes loadgen (`retries`) redeliver; the bot must reply once per message.
@Suite(.timeLimit(.minutes(1)))
struct LostAckRetryTests {
    final class LostAcks: HTTPResponder {
        let bot: HTTPClient
        let seen = Mutex<Set<[UInt8]>>([])
        init(bot: HTTPClient) { self.bot = bot }

        func respond(to request: ServerRequest) async -> ServerResponse {
            let forwarded = await bot.execute(method: request.method, path: request.uri, headers: request.headers, body: request.body,
                                              timeout: .seconds(5))
            guard case .success(let answer) = forwarded else { return .text(.badGateway, "bot down") }
            // Every 2nd new message loses its first ack; its redelivery goes through.
            let loseAck = request.method == .POST && seen.withLock { s in s.insert(request.body).inserted && s.count % 2 == 0 }
            if loseAck { return .text(.serviceUnavailable, "ack lost") }
            return ServerResponse(status: HTTPResponseStatus(statusCode: answer.status), body: answer.body)
        }
    }

    @Test func redeliveredMessagesAreAnsweredExactlyOnce() async throws {
        let scenario = Scenario("r", summary: "") {
            Persona("user") {
                Send.text(oneOf: ["I need vegetables near me", "MENU", "help"])
                Expect.reply()
            }
        }
        let plan = Workload(scenario: scenario, users: 5, duration: .seconds(60), journeysPerUser: 4, delivery: DeliveryOptions(retries: 2))
        let users = plan.users
        let correlator = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        let graph = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let standIn = GraphAPIStandIn(phoneNumberID: plan.business.phoneNumberID, accessToken: nil) { send, at in
            correlator.deliver(send, at: at)
        }
        let secret = Secret("app-secret")
        let bot = try ReferenceBot(config: BotConfiguration(appSecret: secret, verifyToken: Secret("v"), accessToken: Secret("t"),
                                                            graphBaseURL: try TargetURL(graph.baseURL + "/v20.0")))
        let botServer = try await bot.bind()
        let toBot = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: botServer.port), maxConnections: 8)
        let front = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let target = try TargetURL(front.baseURL + "/webhook")
        let client = try HTTPClient(origin: target.origin, maxConnections: 5)
        let result = await withTaskGroup(of: Void.self) { group in
            group.addTask { await graph.run(standIn) }
            group.addTask { await bot.run(on: botServer) }
            group.addTask { await front.run(LostAcks(bot: toBot)) }
            defer { group.cancelAll() }
            let engine = Engine(clock: ContinuousClock(), transport: WebhookClient(client: client, target: target, ackTimeout: .seconds(5)),
                                signer: WebhookSigner(appSecret: secret), correlator: correlator, unixTime: { 1_750_000_000 })
            return await engine.run(plan)
        }
        client.shutdown()
        toBot.shutdown()
        #expect(result.metrics.turns == 20)
        #expect(result.metrics.errorTurns == 0)
        #expect(result.metrics.redeliveries == 10)  // every 2nd message's ack was lost and it was redelivered
        #expect(correlator.counters.matched == 20)
        #expect(correlator.counters.unsolicited == 0 && correlator.counters.duplicate == 0)
        #expect(bot.counts.duplicates == Int(result.metrics.redeliveries))  // the bot saw each redelivery as a duplicate
    }
}
