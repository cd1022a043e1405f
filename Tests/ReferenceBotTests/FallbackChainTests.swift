import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import NIOCore
import NIOHTTP1
import ReferenceBot
import Testing

/// The reference bot's graceful degradation, driven by real faults in its stand-in upstreams: each
/// pattern's injected failure must produce EasyMO's promised reply, never silence.
@Suite(.timeLimit(.minutes(1)))
struct FallbackChainTests {
    let user = SimulatedUser(index: 0, seed: 21)
    static let secret = Secret("app-secret")

    /// Runs the bot against stand-in upstreams injecting `plan`, sends `messages` in order, and returns
    /// the bot's replies once `expected` have arrived.
    private func replies(under plan: ChaosPlan, llmDeadline: Duration = .seconds(30), to messages: [InboundMessage.Content],
                         expected: Int) async throws -> [BotReply] {
        let log = SendLog()
        let graph = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let upstreams = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let standIn = GraphAPIStandIn(phoneNumberID: BusinessIdentity.default.phoneNumberID, accessToken: nil) { send, _ in log.record(send) }
        var config = BotConfiguration(appSecret: Self.secret, verifyToken: Secret("v"), accessToken: Secret("t"),
                                      graphBaseURL: try TargetURL(graph.baseURL + "/v20.0"))
        config.upstreams = .http(try TargetURL(upstreams.baseURL))
        config.llmDeadline = llmDeadline
        let bot = try ReferenceBot(config: config)
        let server = try await bot.bind()
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: server.port), maxConnections: 1)
        let signer = WebhookSigner(appSecret: Self.secret)
        let result = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await graph.run(standIn) }
            group.addTask { await upstreams.run(UpstreamStandIns(injector: FaultInjector(plan: plan, seed: 3), stallLimit: .seconds(5))) }
            group.addTask { await bot.run(on: server) }
            defer { group.cancelAll() }
            var last: BotReply?
            for (i, content) in messages.enumerated() {
                let context = last?.messageID.map { InboundMessage.Context(from: BusinessIdentity.default.displayPhoneNumber, id: $0) }
                let body = WebhookEnvelope.render(InboundMessage(id: "wamid.F\(i)", timestamp: 1, content: content, context: context),
                                                  from: user, business: .default)
                let ack = try await client.execute(method: .POST, path: "/webhook", headers: ["X-Hub-Signature-256": signer.signature(for: body)],
                                                   body: body, timeout: .seconds(5)).get()
                #expect(ack.status == 200)
                _ = await log.waitFor(i + 1)
                last = log.replies.last?.reply
            }
            _ = await log.waitFor(expected)
            return log.replies.map(\.reply)
        }
        client.shutdown()
        return result
    }

    @Test func healthyUpstreamsGiveTheAIAnswer() async throws {
        let r = try await replies(under: [], to: [.text("I need vegetables near me")], expected: 1)
        #expect(r.last?.text.contains("I found 5 vendors") == true)
    }

    @Test func aiServiceDownAnswersFromRanking() async throws {
        let r = try await replies(under: [.inject(.aiServiceDown, rate: 1)], to: [.text("I need vegetables near me")], expected: 1)
        #expect(r.last?.text.contains("top-rated vendors") == true)
        #expect(r.last?.rows.isEmpty == false)
        #expect(FailurePattern.aiServiceDown.expected.matches(r.last!))
    }

    @Test func aSlowLLMGivesPartialResults() async throws {
        let r = try await replies(under: [.inject(.timeout, rate: 1, shape: .delay(.seconds(3)))], llmDeadline: .milliseconds(200),
                                  to: [.text("I need vegetables near me")], expected: 1)
        #expect(r.last?.text.contains("so far") == true)
        #expect(FailurePattern.timeout.expected.matches(r.last!))
    }

    @Test func noResultsExpandsTheSearch() async throws {
        let r = try await replies(under: [.inject(.noResults, rate: 1)], to: [.text("I need tomatoes")], expected: 1)
        #expect(r.last?.text.contains("No vendors found") == true)
        #expect(r.last?.rows.isEmpty == false)  // alternatives from the ranking service
        #expect(FailurePattern.noResults.expected.matches(r.last!))
    }

    @Test func networkDownFallsToExampleResults() async throws {
        // LLM, ranking and database all fail: the bot answers from its own copy, and says so.
        let r = try await replies(under: [.inject(.aiServiceDown, rate: 1), .inject(.networkIssues, rate: 1),
                                          .inject(.noResults, rate: 1, shape: .reset)],
                                  to: [.text("I need vegetables near me")], expected: 1)
        #expect(r.last?.text.contains("Showing example results. Please try again later") == true)
        #expect(FailurePattern.networkIssues.expected.matches(r.last!))
    }

    @Test func agentUnavailableOffersTheMenu() async throws {
        let r = try await replies(under: [.inject(.agentUnavailable, rate: 1)], to: [.text("I need a job")], expected: 1)
        #expect(r[0].text.contains("currently not available"))
        #expect(r[0].rows.contains { $0.id == "svc_rides" })  // the traditional menu, in the same message
        #expect(FailurePattern.agentUnavailable.expected.matches(r[0]))
    }

    @Test func paymentFailureOffersAnotherMethod() async throws {
        let r = try await replies(under: [.inject(.paymentFailure, rate: 1)],
                                  to: [.text("I need vegetables"), .listReply(id: "v_kimironko_fresh", title: "Kimironko Fresh", description: nil),
                                       .buttonReply(id: "pay_wallet", title: "💳 Wallet")], expected: 3)
        #expect(r[2].text.contains("try another method"))
        #expect(r[2].buttons.map(\.id) == ["pay_momo", "back_home"])
        #expect(FailurePattern.paymentFailure.expected.matches(r[2]))
    }
}
