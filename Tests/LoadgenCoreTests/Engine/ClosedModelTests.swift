@testable import LoadgenCore
import LoadgenTesting
import Testing
import Wire

/// The closed model's users: thinking users kept as timer entries in lanes, started as if they had been
/// thinking forever.
@Suite(.timeLimit(.minutes(1)))
struct ClosedModelTests {
    /// The first pause is what is left of a pause under way. For think times uniform on [2 s, 5 s] that
    /// is below 2 s with probability 2 / 3.5, never above 5 s, and 13 / 7 s on average (E[T²] / 2E[T]).
    @Test func theFirstPauseIsTheRestOfAPauseUnderWay() {
        var random = SeededRandom(seed: 7, stream: 1)
        let pauses = (0..<100_000).map { _ in ClosedModel<VirtualClock>.firstPause(.seconds(2) ... .seconds(5), using: &random).inSeconds }
        #expect(pauses.allSatisfy { (0...5).contains($0) })
        let short = Double(pauses.filter { $0 < 2 }.count) / Double(pauses.count)
        #expect(abs(short - 2 / 3.5) < 0.01)
        let mean = pauses.reduce(0, +) / Double(pauses.count)
        #expect(abs(mean - 13.0 / 7) < 0.02)
        // With one think time for all, uniform up to it; with none, no pause.
        let fixed = (0..<10_000).map { _ in ClosedModel<VirtualClock>.firstPause(.seconds(1) ... .seconds(1), using: &random).inSeconds }
        #expect(abs(fixed.reduce(0, +) / Double(fixed.count) - 0.5) < 0.02 && fixed.allSatisfy { $0 <= 1 })
        #expect(ClosedModel<VirtualClock>.firstPause(.zero ... .zero, using: &random) == .zero)
    }

    /// 2,000 users thinking 2–5 s against a bot that answers in 30 ms send as many messages in each half
    /// second of the run as in any other: no surge when the first and second turns overlap (staggering the
    /// starts over one mean think time made the half second before 3.5 s half as busy again as the rest).
    @Test func turnsComeAsOftenFromTheFirstSecond() async {
        let (_, seen) = await Self.run(users: 2_000, for: .seconds(10))
        var buckets = [Int](repeating: 0, count: 20)
        for message in seen where message.received < .seconds(10) { buckets[Int(message.received.inSeconds * 2)] += 1 }
        // 2,000 users, a turn every 3.53 s each (3.5 s thinking, 30 ms answering): 283 a half second.
        let expected = 2_000 / 3.53 / 2
        for (i, count) in buckets.enumerated() {
            #expect(abs(Double(count) - expected) < expected * 0.15, "half second \(i): \(count) turns, \(Int(expected)) expected")
        }
    }

    /// In virtual time no user wakes late (by a microsecond at most), whichever lane it is in: the home
    /// serves only the lanes with a user due, and a worker that files its user due before its lane's next
    /// rings the home. 1,025 users make two lanes, the second of one user, which has no thinking user
    /// while it walks: each of its pauses rings the home, asleep for the other lane.
    @Test func everyLaneWakesItsUsersOnTime() async {
        let (metrics, seen) = await Self.run(users: 1_025, for: .seconds(20))
        let wakes = metrics.wakeLag?.count ?? 0
        #expect(wakes > 4_000, "\(wakes) wake-ups measured")
        // (The histogram records whole microseconds, rounding up.)
        #expect((metrics.wakeLag?.maxMilliseconds ?? 1) <= 0.001, "a user woke \(metrics.wakeLag?.maxMilliseconds ?? 0) ms late")
        // The lone user of the second lane: a turn every 3.53 s on average over 20 s.
        let lone = seen.filter { $0.user == 1_024 }.count
        #expect(lone >= 4, "the second lane's user took \(lone) turns")
    }

    /// A worker that ends a turn starts the most overdue user of its home, whichever lane it is in. Here
    /// the home's alarms ring 50 ms late (an event loop running a long batch of jobs before its timers):
    /// 1,025 users thinking 2 s make two lanes, and the second's one user is due when no worker of its own
    /// lane is out. The first lane's workers start it as they end their turns (4 ms late on average here),
    /// not its home (33 ms when they do not).
    @Test func aWorkerStartsTheMostOverdueUserOfItsHome() async {
        let (_, seen) = await Self.run(users: 1_025, for: .seconds(20), think: .seconds(2) ... .seconds(2), alarmsLate: .milliseconds(50))
        // Each of its turns takes 30 ms to the reply, then it thinks 2 s: what is left is how late it woke.
        let sent = seen.filter { $0.user == 1_024 }.map(\.received)
        let lags = zip(sent, sent.dropFirst()).map { ($1 - $0 - .milliseconds(2_030)).inSeconds * 1_000 }
        #expect(lags.count >= 8, "the second lane's user took \(sent.count) turns")
        #expect(lags.allSatisfy { $0 >= 0 }, "\(lags)")
        #expect(lags.reduce(0, +) / Double(max(1, lags.count)) < 10, "the second lane's user woke \(lags) ms late")
    }

    /// `users` thinking 2–5 s (or `think`) between messages, in virtual time, against a bot that answers
    /// in 30 ms (5 ms of service, the reply 25 ms later), the homes' alarms ringing `alarmsLate` after
    /// their time: the run's metrics and every message the bot saw.
    private static func run(
        users: Int, for duration: Duration, think: ClosedRange<Duration> = .seconds(2) ... .seconds(5), alarmsLate: Duration = .zero
    ) async -> (RunMetrics, [VirtualBot.Seen]) {
        let scenario = Scenario("flat", summary: "") {
            Persona("buyer") {
                Send.text("I need vegetables")
                Expect.reply(.contains("vendors"))
            }
        }
        let workload = Workload(scenario: scenario, users: users, duration: duration, thinkTime: think)
        return await VirtualTime.run { virtual in
            let clock = LateAlarms(base: virtual, late: alarmsLate)
            let correlator = ReplyCorrelator<VirtualClock.Instant>(users: workload.users)
            let bot = VirtualBot(clock: virtual, correlator: correlator, users: workload.users, service: .milliseconds(5),
                                 replyDelay: .milliseconds(25))
            let engine = Engine(clock: clock, transport: bot, signer: WebhookSigner(appSecret: Secret("s")), correlator: correlator,
                                unixTime: { 1_750_000_000 })
            return await withTaskGroup(of: Void.self) { group in
                group.addTask { await bot.run() }
                defer { group.cancelAll() }
                let result = await engine.run(workload)
                return (result.metrics, bot.seen)
            }
        }
    }
}

/// Virtual time whose sleeps on a home (the closed model's alarms) end `late` after their deadline or
/// their stop: an event loop that runs its timers, and the jobs of the tasks they wake, only after a
/// long batch of other jobs.
private struct LateAlarms: EngineClock {
    let base: VirtualClock
    let late: Duration

    var now: VirtualClock.Instant { base.now }
    var minimumResolution: Duration { base.minimumResolution }

    func sleep(until deadline: VirtualClock.Instant, tolerance: Duration?) async throws {
        try await base.sleep(until: deadline, tolerance: tolerance)
    }

    func sleep(until deadline: VirtualClock.Instant, or stop: StopSignal, home: Int) async {
        await sleep(until: deadline, or: stop)
        try? await base.sleep(until: base.now.advanced(by: late), tolerance: nil)
    }
}
