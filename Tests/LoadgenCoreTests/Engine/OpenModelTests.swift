import LoadgenCore
import Synchronization
import Testing

@Suite struct ArrivalScheduleTests {
    private func seconds(_ d: Duration?) -> Double {
        guard let d else { return .nan }
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    @Test func constantRate() {
        let s = ArrivalSchedule(perSecond: 50, for: .seconds(60))
        #expect(s.plannedArrivals == 3000)
        #expect(seconds(s.intendedTime(ofArrival: 0)) == 0)
        #expect(abs(seconds(s.intendedTime(ofArrival: 1)) - 0.02) < 1e-9)
        #expect(abs(seconds(s.intendedTime(ofArrival: 2999)) - 59.98) < 1e-6)
        #expect(s.intendedTime(ofArrival: 3000) == nil)
    }

    @Test func rampFromZero() {
        // 0 → 100/s over 10 s: 500 arrivals; arrival n at sqrt(2 n T / r) = sqrt(n / 5).
        let s = ArrivalSchedule(stages: [.init(.seconds(10), perSecond: 100)], startRate: 0)
        #expect(s.plannedArrivals == 500)
        for n in [1, 20, 125, 499] {
            #expect(abs(seconds(s.intendedTime(ofArrival: n)) - (Double(n) / 5).squareRoot()) < 1e-6)
        }
    }

    @Test func stagesFollowEachOther() {
        let s = ArrivalSchedule(stages: [.init(.seconds(10), perSecond: 10), .init(.seconds(10), perSecond: 10),
                                         .init(.seconds(10), perSecond: 0)], startRate: 10)
        #expect(s.plannedArrivals == 250)  // 100 + 100 + ramp down 50
        #expect(abs(seconds(s.intendedTime(ofArrival: 150)) - 15) < 1e-6)
        #expect(seconds(s.intendedTime(ofArrival: 249)) < 30)
        #expect(s.duration == .seconds(30))
    }
}

/// A target that answers at once, except during a stall window, when every request waits until the
/// window closes — the stall of a garbage-collection pause or a lock, as the system under test shows it.
final class StallingBot: WebhookTransport {
    let correlator: ReplyCorrelator<ContinuousClock.Instant>
    let users: [SimulatedUser]
    let window: Mutex<Range<ContinuousClock.Instant>?> = Mutex(nil)

    init(users: [SimulatedUser]) {
        self.users = users
        correlator = ReplyCorrelator(users: users)
    }

    func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult {
        if let stall = window.withLock({ $0 }), stall.contains(.now) { try? await Task.sleep(until: stall.upperBound) }
        correlator.deliver(GraphSend(kind: .message(BotReply(type: "text", text: "ok")), to: users[user].phone, recipient: nil,
                                     contextMessageID: nil), at: .now)
        return .status(200)
    }
}

/// Coordinated omission: a one-second-class stall must show in the open model's p99, where a closed loop
/// of a few users (each stuck once) hides it in thousands of fast samples.
@Suite(.timeLimit(.minutes(1)))
struct CoordinatedOmissionTests {
    let scenario = Scenario("stall", summary: "") {
        Persona("user") {
            Send.text("hello")
            Expect.reply()
        }
    }

    private func run(_ plan: Workload, stall: Range<Int> = 500 ..< 1500) async -> RunMetrics {
        let users = plan.users
        let bot = StallingBot(users: users)
        let start = ContinuousClock.now
        bot.window.withLock { $0 = (start + .milliseconds(stall.lowerBound)) ..< (start + .milliseconds(stall.upperBound)) }
        let engine = Engine(clock: ContinuousClock(), transport: bot, signer: WebhookSigner(appSecret: Secret("s")),
                            correlator: bot.correlator, unixTime: { 1_750_000_000 })
        return await engine.run(plan).metrics
    }

    @Test func theOpenModelShowsTheStallThatAClosedLoopHides() async {
        let open = await run(Workload.open(scenario: scenario, schedule: ArrivalSchedule(perSecond: 200, for: .seconds(2)), maxInFlight: 1000))
        let closed = await run(Workload(scenario: scenario, users: 2, duration: .seconds(2), thinkTime: .milliseconds(1) ... .milliseconds(1)))

        // Open: the 200 arrivals due during the 1 s stall waited for it, from their intended times.
        #expect(open.arrivalsPlanned == 400 && open.arrivalsDropped == 0)
        #expect(open.reply.milliseconds(atPercentile: 99) >= 900)
        #expect(open.reply.milliseconds(atPercentile: 90) >= 500)
        // Closed: both users were stuck once (max shows it) but p99 looks healthy.
        #expect(closed.reply.maxMilliseconds >= 900)
        #expect(closed.reply.milliseconds(atPercentile: 99) < 100)
    }

    @Test func droppedArrivalsAreCountedWhenTheCapIsReached() async {
        // 1,000 arrivals due in 0.1 s at 10,000/s with 5 in flight at most, against a stalled target: most are dropped.
        let metrics = await run(Workload.open(scenario: scenario, schedule: ArrivalSchedule(perSecond: 10_000, for: .milliseconds(100)),
                                      maxInFlight: 5), stall: 0 ..< 300)
        #expect(metrics.arrivalsPlanned == 1000)
        #expect(metrics.arrivalsDropped > 900)
        #expect(metrics.arrivalsLaunched + metrics.arrivalsDropped == 1000)
    }
}
