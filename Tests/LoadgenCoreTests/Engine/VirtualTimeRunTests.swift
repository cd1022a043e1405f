import LoadgenCore
import LoadgenTesting
import Testing

/// Whole scenarios on the virtual clock: the engine, the correlator's deadlines, the fault injector's
/// windows and the bot all read one injected clock, so every latency, phase and drop is exact and the
/// runs take no real time.
@Suite(.timeLimit(.minutes(1)))
struct VirtualTimeRunTests {
    let scenario = Scenario("virtual", summary: "") {
        Persona("buyer") {
            Send.text("I need vegetables")
            Expect.reply(.contains("vendors"))
        }
    }

    /// Runs `workload` against a `VirtualBot` in virtual time.
    func run(_ workload: Workload, service: Duration, replyDelay: Duration, serial: Bool = false, stall: Range<Duration>? = nil,
             failing: Range<Duration>? = nil, answersWait: Duration? = nil) async
        -> (RunResult, [VirtualBot.Seen])
    {
        await VirtualTime.run { clock in
            let correlator = ReplyCorrelator<VirtualClock.Instant>(users: workload.users)
            let injector = workload.chaos.isEmpty ? nil : FaultInjector(plan: workload.chaos, seed: workload.seed)
            let bot = VirtualBot(clock: clock, correlator: correlator, users: workload.users, service: service, replyDelay: replyDelay,
                                 serial: serial, stall: stall, failing: failing, injector: injector)
            let transport: any WebhookTransport = answersWait.map { AnswersWait(bot: bot, wait: $0) } ?? bot
            let engine = Engine(clock: clock, transport: transport, signer: WebhookSigner(appSecret: Secret("s")), correlator: correlator,
                                unixTime: { 1_750_000_000 }, injector: injector)
            let result = await withTaskGroup(of: Void.self) { group in
                group.addTask { await bot.run() }
                defer { group.cancelAll() }
                return await engine.run(workload)
            }
            return (result, bot.seen)
        }
    }

    /// A histogram holding exactly these latencies (in milliseconds).
    func histogram(_ milliseconds: [Int]) -> LatencyHistogram {
        var h = LatencyHistogram()
        for ms in milliseconds { h.record(.milliseconds(ms)) }
        return h
    }

    /// The closed model deals its users into lanes of at most `ClosedModel.usersPerLane` (a lane's workers
    /// share one task group, whose children the runtime finds by a walk of a list): every user runs, the
    /// last partial lane's too.
    @Test func everyUserOfEveryGroupRuns() async {
        let workload = Workload(scenario: scenario, users: 2_500, duration: .seconds(5), journeysPerUser: 1)
        let (result, seen) = await run(workload, service: .milliseconds(5), replyDelay: .milliseconds(25))
        #expect(result.metrics.journeysStarted == 2_500)
        #expect(result.metrics.turns == 2_500 && result.metrics.replies == 2_500)
        #expect(seen.count == 2_500)
    }

    /// Every think pause is measured, one per turn (each turn is followed by its pause), but for each
    /// user's last, which the end of the run cuts short (and the first, staggering pause is not one); in
    /// virtual time most users wake exactly when due.
    @Test func everyPauseRecordsHowLateTheUserWoke() async {
        let workload = Workload(scenario: scenario, users: 3, duration: .seconds(2), thinkTime: .milliseconds(100) ... .milliseconds(100))
        let (result, _) = await run(workload, service: .milliseconds(5), replyDelay: .milliseconds(25))
        let m = result.metrics
        #expect(m.turns > 30)
        #expect(m.wakeLag?.count == m.turns - 3)
        #expect((m.wakeLag?.milliseconds(atPercentile: 50) ?? 1) <= 0.001)  // the histogram's floor is 1 µs
        #expect(Report.ScriptedCheck.generator(m) == nil)  // too few pauses to judge a p99
    }

    /// Two users loop with no pause for 3 s against a bot that acks in 5 ms and replies 25 ms later:
    /// a turn every 30 ms each, 100 each. The LLM is down from 1 s to 2 s: those turns get the ranking's
    /// "top-rated" answer, judged graceful, and the first turn at 2 s is the recovery.
    @Test func aClosedRunWithAFaultWindow() async {
        let workload = Workload(scenario: scenario, users: 2, duration: .seconds(3),
                                chaos: [.inject(.aiServiceDown, rate: 1, from: .seconds(1), to: .seconds(2))])
        let (result, seen) = await run(workload, service: .milliseconds(5), replyDelay: .milliseconds(25))
        let m = result.metrics
        #expect(m.turns == 200 && m.errorTurns == 0 && m.replies == 200)
        #expect(seen.count == 200)
        #expect(m.ack == histogram(Array(repeating: 5, count: 200)))
        #expect(m.reply == histogram(Array(repeating: 30, count: 200)))
        // Turns start at 0, 30, …, 2970 ms: 34 before the window, 33 in it, 33 after, per user.
        #expect(m.phases[.baseline]?.turns == 68)
        #expect(m.phases[.fault]?.turns == 66)
        #expect(m.phases[.recovery]?.turns == 66)
        #expect(m.phases[.fault]?.fallbacks == 66 && m.fallbackReplies == 66)  // "top-rated" is a fallback
        let pattern = m.patterns[.aiServiceDown]
        #expect(pattern?.injected == 66 && pattern?.graceful == 66)
        #expect(pattern?.activation == histogram(Array(repeating: 30, count: 66)))
        #expect(m.recoveredAt[0] == .milliseconds(10))  // the first turn after 2 s starts at 2010 ms
        #expect(result.elapsed == .seconds(3))  // the last turn (2970 ms) is answered at 3000 ms
        // One point a second: the turns answered in (0, 1 s] and (1 s, 2 s]; 30 ms each, two users.
        #expect(result.timeline.points.prefix(2).map(\.turns) == [66, 66])
        #expect(result.timeline.points.prefix(2).map(\.faultsOpen) == [["ai-service-down"], []])
        #expect(!result.partial)
    }

    /// What a transport says of an answer's wait on loadgen's side once read (`Delivered.waited`) is
    /// loadgen's time, not the bot's: against a bot that acks in 5 ms, answers that waited 2 ms each make
    /// acks of 3 ms, and the run keeps every wait (`answerWait`), answered or refused alike.
    @Test func theAckLeavesOutHowLongTheAnswerWaitedOnceRead() async {
        let workload = Workload(scenario: scenario, users: 2, duration: .seconds(3), journeysPerUser: 10)
        let (result, _) = await run(workload, service: .milliseconds(5), replyDelay: .milliseconds(25), failing: .zero ..< .milliseconds(1),
                                    answersWait: .milliseconds(2))
        let m = result.metrics
        #expect(m.turns == 20 && m.errorTurns == 2)  // each user's first turn, answered 500
        #expect(m.ack == histogram(Array(repeating: 3, count: 18)))
        #expect(m.answerWait == histogram(Array(repeating: 2, count: 20)))
        #expect(m.reply == histogram(Array(repeating: 30, count: 18)))  // the reply still counts from the send
    }

    /// A bot that acks and never answers: every turn is `no_reply` after the reply timeout, and the run
    /// ends exactly when the last turn's timeout runs out — by the duration plus the reply timeout, never
    /// later (the process adds at most the status drain, 2 s, which `RunDriver` bounds).
    @Test func aRunEndsByItsDurationPlusTheReplyTimeout() async {
        let workload = Workload(scenario: scenario, users: 3, duration: .seconds(2), thinkTime: .milliseconds(300) ... .milliseconds(300),
                                replyTimeout: .seconds(1))
        let (result, _) = await run(workload, service: .milliseconds(5), replyDelay: .seconds(3600))
        let m = result.metrics
        #expect(m.turns > 0 && m.replies == 0 && m.errors(.noReply) == m.turns)
        // Each user's turns are 1.3 s apart (1 s waiting, 300 ms thinking) from a staggered start: the last
        // turns, started before 2 s, time out after it, and nothing waits longer.
        #expect(result.elapsed > workload.duration)
        #expect(result.elapsed <= workload.duration + workload.replyTimeout)
    }

    /// Eight conversations due every 25 ms at a bot that handles one message at a time in 50 ms: each
    /// waits for the ones before it, so the open model shows the queue — 60, 85, 110, … ms from when each
    /// was due — where a closed loop, whose one user waits for each answer before the next, sees 60 ms
    /// every time (coordinated omission).
    @Test func anOpenRunShowsTheQueueAClosedLoopHides() async {
        let workload = Workload.open(scenario: scenario, schedule: ArrivalSchedule(perSecond: 40, for: .milliseconds(200)), maxInFlight: 100)
        let (result, seen) = await run(workload, service: .milliseconds(50), replyDelay: .milliseconds(10), serial: true)
        let m = result.metrics
        #expect(m.arrivalsPlanned == 8 && m.arrivalsLaunched == 8 && m.arrivalsDropped == 0 && m.arrivalsLate == 0)
        #expect(m.launchLag.maxMilliseconds == 0.001)  // launched on time (recorded as the histogram's 1 µs floor)
        #expect(seen.map(\.received) == (0..<8).map { .milliseconds(25 * $0) })
        #expect(seen.map(\.started) == (0..<8).map { .milliseconds(50 * $0) })
        #expect(m.ack == histogram((0..<8).map { 50 + 25 * $0 }))
        #expect(m.reply == histogram((0..<8).map { 60 + 25 * $0 }))
        #expect(result.elapsed == .milliseconds(410))  // the last reply: 400 ms of handling + 10 ms

        let closed = Workload(scenario: scenario, users: 1, duration: .milliseconds(200))
        let (loop, _) = await run(closed, service: .milliseconds(50), replyDelay: .milliseconds(10), serial: true)
        #expect(loop.metrics.reply == histogram([60, 60, 60, 60]))  // turns at 0, 60, 120, 180 ms
    }

    /// With two conversations in flight at most, arrivals that find both identities busy are dropped and
    /// counted: 8 due, 5 launched (at 0, 25, 75, 125, 175 ms), 3 dropped.
    @Test func anOpenRunCountsWhatTheCapDropped() async {
        let workload = Workload.open(scenario: scenario, schedule: ArrivalSchedule(perSecond: 40, for: .milliseconds(200)), maxInFlight: 2)
        let (result, seen) = await run(workload, service: .milliseconds(50), replyDelay: .milliseconds(10), serial: true)
        let m = result.metrics
        #expect(m.arrivalsPlanned == 8 && m.arrivalsLaunched == 5 && m.arrivalsDropped == 3)
        #expect(seen.map(\.received) == [0, 25, 75, 125, 175].map { .milliseconds($0) })
        #expect(m.reply == histogram([60, 85, 85, 85, 85]))
        #expect(m.turns == 5 && m.errorTurns == 0)
    }

    /// Two users loop against a bot that fails every message from 2 s on (500, no reply). The rollback
    /// tripwire (errorRate <= 5 % over the last 30 s) fires at the 3 s snapshot: no turn starts after
    /// it, so a 60 s run ends at once, not partial (nobody pressed Ctrl-C), its verdict `rollback`.
    @Test func aRollbackTripwireStopsTheRunWhenItFires() async throws {
        let sets = try CriteriaSet.parse("rollback")
        let workload = Workload(scenario: scenario, users: 2, duration: .seconds(60), replyTimeout: .milliseconds(500),
                                tripwire: Tripwire(sets: sets))
        let (result, _) = await run(workload, service: .milliseconds(5), replyDelay: .milliseconds(25), failing: .seconds(2) ..< .seconds(3600))
        let trip = try #require(result.tripped)
        #expect(trip.atSeconds == 3 && trip.criterion == "errorRate" && trip.set == "rollback" && trip.windowSeconds == 3)
        #expect(trip.actual > 0.5 && trip.turns >= 400)  // ~134 good turns before 2 s, ~400 failed ones after
        #expect(result.elapsed < .milliseconds(3010))  // the turns in flight finish (5 ms), none start
        #expect(!result.partial)
        let evaluation = evaluate(sets, against: Observations(metrics: result.metrics, repliesMeasured: true, tripped: result.tripped))
        #expect(evaluation.verdict == .rollback)
        #expect(evaluation.checks.last?.note?.hasPrefix("tripped at 3 s over the last 3 s") == true)

        // The same failing bot without a rollback set runs its whole minute.
        let unwatched = Workload(scenario: scenario, users: 2, duration: .seconds(60), replyTimeout: .milliseconds(500),
                                 tripwire: Tripwire(sets: try CriteriaSet.parse("staging")))
        let (full, _) = await run(unwatched, service: .milliseconds(5), replyDelay: .milliseconds(25), failing: .seconds(2) ..< .seconds(3600))
        #expect(full.tripped == nil && full.elapsed >= .seconds(60))
    }
}

/// A `VirtualBot` whose every answer, its transport says, waited `wait` on loadgen's side once read.
private struct AnswersWait: WebhookTransport {
    let bot: VirtualBot
    let wait: Duration

    func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult {
        await bot.deliver(body: body, signature: signature, user: user)
    }

    func deliverExplaining(body: [UInt8], signature: String, user: Int) async -> Delivered {
        Delivered(await bot.deliver(body: body, signature: signature, user: user), waited: wait)
    }
}
