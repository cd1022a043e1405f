import LoadgenCore
import LoadgenTesting
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

/// Coordinated omission: a one-second stall must show in the open model's p99, where a closed loop of a
/// few users (each stuck once) hides it in thousands of fast samples. In virtual time: exact and instant.
@Suite(.timeLimit(.minutes(1)))
struct CoordinatedOmissionTests {
    let scenario = Scenario("stall", summary: "") {
        Persona("user") {
            Send.text("hello")
            Expect.reply()
        }
    }

    private func run(_ workload: Workload, stall: Range<Duration>) async -> RunMetrics {
        await VirtualTimeRunTests().run(workload, service: .zero, replyDelay: .zero, stall: stall).0.metrics
    }

    @Test func theOpenModelShowsTheStallThatAClosedLoopHides() async {
        let stall = Duration.milliseconds(500) ..< .milliseconds(1500)
        let open = await run(Workload.open(scenario: scenario, schedule: ArrivalSchedule(perSecond: 200, for: .seconds(2)), maxInFlight: 1000),
                             stall: stall)
        let closed = await run(Workload(scenario: scenario, users: 2, duration: .seconds(2), thinkTime: .milliseconds(1) ... .milliseconds(1)),
                               stall: stall)

        // Open: the 200 arrivals due during the 1 s stall waited for it, from their intended times.
        #expect(open.arrivalsPlanned == 400 && open.arrivalsDropped == 0)
        #expect(open.reply.milliseconds(atPercentile: 99) >= 900)
        #expect(open.reply.milliseconds(atPercentile: 90) >= 500)
        #expect(open.reply.count == 400 && open.reply.maxMilliseconds >= 1000)  // the one due at 500 ms waited the whole second
        // Closed: both users were stuck once (max shows it) but p99 looks healthy.
        #expect(closed.reply.maxMilliseconds >= 999)
        #expect(closed.reply.milliseconds(atPercentile: 99) < 100)
    }

    @Test func droppedArrivalsAreCountedWhenTheCapIsReached() async {
        // 1,000 arrivals due in 0.1 s at 10,000/s with 5 in flight at most, against a stalled target: the
        // first five take every identity until the stall ends at 300 ms, so the other 995 are dropped.
        let metrics = await run(Workload.open(scenario: scenario, schedule: ArrivalSchedule(perSecond: 10_000, for: .milliseconds(100)),
                                              maxInFlight: 5), stall: .zero ..< .milliseconds(300))
        #expect(metrics.arrivalsPlanned == 1000)
        #expect(metrics.arrivalsLaunched == 5 && metrics.arrivalsDropped == 995)
    }
}
