import LoadgenCore
import Synchronization
import Testing

/// A transport that plays the bot in memory: acks each delivery and, unless told to fail it, replies
/// through the correlator at once. Records what it saw.
final class ScriptedBot: WebhookTransport {
    let correlator: ReplyCorrelator<ContinuousClock.Instant>
    let users: [SimulatedUser]
    let failEvery: Int
    let onDelivery: @Sendable (Int) -> Void
    private let count = Mutex(0)
    private let bodies = Mutex<[String]>([])

    init(users: [SimulatedUser], failEvery: Int = 0, onDelivery: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.users = users
        self.correlator = ReplyCorrelator(users: users)
        self.failEvery = failEvery
        self.onDelivery = onDelivery
    }

    var deliveries: Int { count.withLock { $0 } }
    var seenBodies: [String] { bodies.withLock { $0 } }

    func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult {
        let n = count.withLock { $0 += 1; return $0 }
        bodies.withLock { $0.append(String(decoding: body, as: UTF8.self)) }
        defer { onDelivery(n) }
        if failEvery > 0, n % failEvery == 0 { return .status(503) }
        correlator.deliver(GraphSend(kind: .message(BotReply(type: "text", text: "ok")), to: users[user].phone,
                                     recipient: nil, contextMessageID: nil), at: .now)
        return .status(200)
    }
}

@Suite struct EngineTests {
    let scenario = Scenario("t", summary: "test") {
        Persona("user") {
            Send.text("hello")
            Expect.reply(.contains("ok"))
            Send.text("again")
            Expect.reply()
        }
    }

    private func engine(_ bot: ScriptedBot) -> Engine<ContinuousClock> {
        Engine(clock: ContinuousClock(), transport: bot, signer: WebhookSigner(appSecret: Secret("s")),
               correlator: bot.correlator, unixTime: { 1_750_000_000 })
    }

    @Test func countsEveryTurnAndReply() async {
        let plan = Workload(scenario: scenario, users: 10, duration: .seconds(60), journeysPerUser: 5)
        let users = plan.users
        let bot = ScriptedBot(users: users)
        let result = await engine(bot).run(plan)
        #expect(result.metrics.turns == 100)
        #expect(result.metrics.replies == 100)
        #expect(result.metrics.errorTurns == 0)
        #expect(result.metrics.journeysSucceeded == 50)
        #expect(result.metrics.reply.count == 100)
        #expect(result.metrics.ack.count == 100)
        #expect(!result.partial)
        #expect(bot.deliveries == 100)
    }

    @Test func failedDeliveriesAreErrorsOfTheirClassAndEndTheJourney() async {
        let plan = Workload(scenario: scenario, users: 1, duration: .seconds(60), journeysPerUser: 8)
        let users = plan.users
        let bot = ScriptedBot(users: users, failEvery: 4)  // every 4th POST gets 503
        let result = await engine(bot).run(plan)
        // One user, sequential: journeys alternate (ok, ok) then (ok, 503) → 8 journeys, 16 turns, 4 errors.
        #expect(result.metrics.turns == 16)
        #expect(result.metrics.errorTurns == 4)
        #expect(result.metrics.errors(.http5xx) == 4)
        #expect(result.metrics.errorRate == 0.25)
        #expect(result.metrics.journeysSucceeded == 4)
        #expect(result.metrics.replies == 12)
    }

    @Test func retriesRedeliverNon200AcksLikeMeta() async {
        let plan = Workload(scenario: scenario, users: 1, duration: .seconds(60), journeysPerUser: 5, delivery: DeliveryOptions(retries: 2))
        let users = plan.users
        let bot = ScriptedBot(users: users, failEvery: 2)  // every 2nd POST gets 503; its immediate redelivery succeeds
        let result = await engine(bot).run(plan)
        #expect(result.metrics.turns == 10)
        #expect(result.metrics.errorTurns == 0)
        #expect(result.metrics.redeliveries == 9)
        #expect(bot.deliveries == 19)
    }

    @Test func duplicatesResendTheSameBytes() async {
        let plan = Workload(scenario: scenario, users: 2, duration: .seconds(60), journeysPerUser: 10, delivery: DeliveryOptions(duplicates: 1))
        let users = plan.users
        let bot = ScriptedBot(users: users)
        let result = await engine(bot).run(plan)
        #expect(result.metrics.duplicatesSent == 40)
        #expect(bot.deliveries == 80)
        #expect(Set(bot.seenBodies).count == 40)  // every body twice, byte for byte
    }

    @Test func templateStepsSendTheRenderedTemplate() async throws {
        let templated = Scenario("tpl", summary: "") {
            Persona("user") {
                Send.template("order", ["product": "tomatoes"])
                Expect.reply()
                Send.template("missing")
            }
        }
        let order = try PayloadTemplate(name: "order", json: Array(#"""
            {"object":"whatsapp_business_account","entry":[{"id":"{{waba_id}}","changes":[{"value":{"messaging_product":"whatsapp",
             "metadata":{"display_phone_number":"{{display_phone_number}}","phone_number_id":"{{phone_number_id}}"},
             "messages":[{"from":"{{phone}}","id":"{{wamid}}","timestamp":"{{timestamp}}","type":"order",
             "order":{"product_items":[{"product_retailer_id":"{{product}}","quantity":2}]}}]},"field":"messages"}]}]}
            """#.utf8))
        let plan = Workload(scenario: templated, users: 1, duration: .seconds(60), journeysPerUser: 1, templates: ["order": order])
        let users = plan.users
        let bot = ScriptedBot(users: users)
        let result = await engine(bot).run(plan)
        #expect(bot.seenBodies.count == 1)
        #expect(bot.seenBodies.first?.contains(#""product_retailer_id":"tomatoes","quantity":2"#) == true)
        #expect(bot.seenBodies.first?.contains(#""from":"\#(users[0].phone)""#) == true)
        #expect(result.metrics.errors(.badTemplate) == 1)  // "missing" is not in plan.templates
    }

    @Test func burstsOweOneAnswerEachAndCanArriveOutOfOrder() async {
        let hurried = Scenario("b", summary: "") {
            Persona("user") {
                Send.burst(["one", "two", "three"])
                Expect.reply()
            }
        }
        let plan = Workload(scenario: hurried, users: 1, duration: .seconds(60), journeysPerUser: 2, delivery: DeliveryOptions(reorder: 1))
        let users = plan.users
        let bot = ScriptedBot(users: users)
        let result = await engine(bot).run(plan)
        #expect(result.metrics.turns == 6)
        #expect(result.metrics.errorTurns == 0)
        #expect(result.metrics.reordered == 2)
        #expect(bot.correlator.counters.matched == 6 && bot.correlator.counters.unsolicited == 0)
        let order = bot.seenBodies.prefix(3).map { b in ["one", "two", "three"].first { b.contains(#""body":"\#($0)""#) } ?? "?" }
        #expect(order == ["three", "two", "one"])
    }

    @Test func badRepliesFailTheirCheck() async {
        let picky = Scenario("p", summary: "") {
            Persona("user") {
                Send.text("hi")
                Expect.reply(.contains("vendors"))
            }
        }
        let plan = Workload(scenario: picky, users: 2, duration: .seconds(60), journeysPerUser: 3)
        let users = plan.users
        let result = await engine(ScriptedBot(users: users)).run(plan)
        #expect(result.metrics.errors(.badReply) == 6)
        #expect(result.metrics.errorRate == 1)
        #expect(result.metrics.replies == 6)  // replies still counted and timed
    }

    @Test func ackOnlyModeDoesNotWaitForReplies() async {
        let plan = Workload(scenario: scenario, users: 3, duration: .seconds(60), journeysPerUser: 2, replies: .none)
        let users = plan.users
        let result = await engine(ScriptedBot(users: users)).run(plan)
        #expect(result.metrics.turns == 12)
        #expect(result.metrics.replies == 0)
        #expect(result.metrics.ack.count == 12)
    }

    @Test(.timeLimit(.minutes(1)))
    func stopEndsThinkingUsersAndMarksThePartialRun() async {
        let stop = StopSignal()
        let slow = Scenario("slow", summary: "") {
            Persona("user") {
                Send.text("hello")
                Expect.reply()
                Think.between(.seconds(3600), .seconds(3600))
                Send.text("an hour later")
            }
        }
        let plan = Workload(scenario: slow, users: 4, duration: .seconds(3600))
        let users = plan.users
        // Each user sends once, then thinks for an hour; the 4th delivery fires Ctrl-C.
        let bot = ScriptedBot(users: users) { n in if n == 4 { stop.trigger() } }
        let result = await engine(bot).run(plan, stop: stop)
        #expect(result.partial)
        #expect(result.metrics.turns == 4)
        #expect(result.metrics.journeysIncomplete == 4)
    }

    @Test func deliveriesCarryTheScenarioText() async {
        let plan = Workload(scenario: scenario, users: 1, duration: .seconds(60), journeysPerUser: 1)
        let users = plan.users
        let bot = ScriptedBot(users: users)
        _ = await engine(bot).run(plan)
        #expect(bot.seenBodies.count == 2)
        #expect(bot.seenBodies[0].contains(#""text":{"body":"hello"}"#))
        #expect(bot.seenBodies[1].contains(#""text":{"body":"again"}"#))
    }
}
