import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import NIOPosix
import Testing

/// loadgen's numbers against a bot whose delays and failures are known: percentiles never below the
/// truth and within 10 % + 15 ms of it, plus twice the worst stall this machine dealt the test's threads
/// during the run; the error rate within one percentage point.
///
/// The stall: a `HiccupMeter` measures it where the requests are handled (event loops, cooperative pool).
/// A 20 ms deschedule on a shared 2-core machine delays every request in flight at that moment, and
/// those are 3 % of 300 turns here, so the p99 carries it. Twice: the bot's truth runs from a request's
/// arrival on its server's loop to its answer handed back, so what lies outside it — loadgen's write and
/// read, the bot's write — crosses threads of both sides, and each can be stalled in turn (CI failed at an
/// ack p99 of 42 ms against a truth of 21 ms with one stall allowed; six spinning processes on 2 cores
/// reproduce it).
@Suite(.timeLimit(.minutes(1)))
struct TruthfulNumbersTests {
    @Test func percentilesAndErrorRateMatchTheTruth() async throws {
        let plan = Workload(scenario: Scenario("truth", summary: "") {
            Persona("user") {
                Send.text("hello")
                Expect.reply()
            }
        }, users: 10, duration: .seconds(60), journeysPerUser: 30)
        let users = plan.users
        let correlator = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        let graph = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let standIn = GraphAPIStandIn(phoneNumberID: plan.business.phoneNumberID, accessToken: nil) { send, receivedAt in
            correlator.deliver(send, at: receivedAt)
        }
        // Known shapes: acks take 2–21 ms, replies 10–69 ms after receipt, every 10th delivery fails.
        let bot = try TruthBot(graphBase: try TargetURL(graph.baseURL + "/v20.0"), phoneNumberID: plan.business.phoneNumberID,
                               failEvery: 10, ackDelay: { .milliseconds(2 + ($0 * 7) % 20) },
                               replyDelay: { .milliseconds(10 + ($0 * 13) % 60) })
        let botServer = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let target = try TargetURL(botServer.baseURL + "/webhook")
        let client = try HTTPClient(origin: target.origin, maxConnections: 20)

        let hiccups = HiccupMeter(loops: MultiThreadedEventLoopGroup.singleton)
        let result = await withTaskGroup(of: Void.self) { group in
            group.addTask { await graph.run(standIn) }
            group.addTask { await botServer.run(bot) }
            group.addTask { await bot.run() }
            defer { group.cancelAll() }
            let engine = Engine(clock: ContinuousClock(), transport: WebhookClient(client: client, target: target, ackTimeout: .seconds(5)),
                                signer: WebhookSigner(appSecret: Secret("s")), correlator: correlator, unixTime: { 1_750_000_000 })
            return await engine.run(plan)
        }
        let stall = hiccups.stop()
        let stallMs = Double(stall.components.attoseconds) / 1e15 + Double(stall.components.seconds) * 1000
        let truth = await bot.recorded
        let m = result.metrics
        #expect(m.turns == 300)
        #expect(truth.deliveries == 300)

        let trueErrorRate = Double(truth.failures) / Double(truth.deliveries)
        #expect(abs(m.errorRate - trueErrorRate) <= 0.01)
        #expect(m.errors(.http5xx) == UInt64(truth.failures))
        // Every answer, 200 or 503, measured for how long it waited in loadgen once read (left out of the ack).
        #expect(m.answerWait?.count == 300)

        for (name, measured, actual) in [("ack", m.ack, truth.ackDelays), ("reply", m.reply, truth.replyDelays)] {
            #expect(measured.count == UInt64(actual.count), "\(name) count")
            for p in [50.0, 95.0, 99.0] {
                let truthMs = TruthBot.percentile(p, of: actual)
                let loadgenMs = measured.milliseconds(atPercentile: p)
                #expect(loadgenMs >= truthMs, "\(name) p\(p): loadgen \(loadgenMs) ms below the truth \(truthMs) ms")
                #expect(loadgenMs <= truthMs * 1.1 + 15 + 2 * stallMs,
                        "\(name) p\(p): loadgen \(loadgenMs) ms vs truth \(truthMs) ms, worst stall \(stallMs) ms")
            }
        }
        client.shutdown()
    }
}
