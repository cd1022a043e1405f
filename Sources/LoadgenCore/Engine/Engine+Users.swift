import Synchronization

/// The closed model's users, the open model's arrivals, and one pass through a journey.
extension Engine {
    /// Closed model: one user repeating its journey until the run ends.
    func runUser(
        _ user: SimulatedUser, journey: CompiledJourney, plan: RunPlan, end: C.Instant, recorder: ShardedRecorder,
        batcher: DeliveryBatcher<C>?
    ) async {
        var random = SeededRandom(seed: plan.seed, stream: UInt64(user.index))
        var sequence = (UInt64(user.index) << 24) &+ plan.wamidSalt
        // Spread the first turns over one mean think time, so users do not all fire at t = 0.
        let meanThink = (plan.thinkTime.lowerBound + plan.thinkTime.upperBound) / 2
        if meanThink > .zero {
            await pause(Self.draw(.zero ... meanThink, using: &random), until: end)
        }
        var journeys = 0
        while !Task.isCancelled, clock.now < end, journeys < (plan.journeysPerUser ?? .max) {
            journeys += 1
            await runJourney(user, journey: journey, plan: plan, end: end, recorder: recorder, batcher: batcher, random: &random,
                             sequence: &sequence, intendedStart: nil)
        }
    }

    /// Open model: launches each arrival at its intended time, or as soon after as it can, stamping it
    /// with the intended time (coordinated omission); counts arrivals dropped because `plan.users`
    /// conversations were already in flight, and those launched late.
    func launchArrivals(
        _ schedule: ArrivalSchedule, plan: RunPlan, users: [SimulatedUser], journeys: [String: CompiledJourney],
        start: C.Instant, end: C.Instant, recorder: ShardedRecorder, active: ActiveUsers, batcher: DeliveryBatcher<C>?
    ) async {
        let identities = IdentityPool(count: users.count)
        await withDiscardingTaskGroup { group in
            var n = 0
            while !Task.isCancelled, let offset = schedule.intendedTime(ofArrival: n) {
                let intended = start.advanced(by: offset)
                if clock.now < intended {
                    do { try await clock.sleep(until: intended, tolerance: nil) } catch { break }
                }
                let lag = intended.duration(to: clock.now)
                let arrival = n
                n += 1
                guard let index = identities.take() else {
                    recorder.record(user: arrival) { m in
                        m.arrivalsPlanned += 1
                        m.arrivalsDropped += 1
                    }
                    continue
                }
                recorder.record(user: index) { m in
                    m.arrivalsPlanned += 1
                    m.arrivalsLaunched += 1
                    if lag > .milliseconds(10) { m.arrivalsLate += 1 }
                    m.launchLag.record(lag)
                }
                let persona = plan.scenario.persona(forUser: arrival)
                group.addTask {
                    active.add(1)
                    defer {
                        active.add(-1)
                        identities.give(index)
                    }
                    var random = SeededRandom(seed: plan.seed, stream: 0x0BE7_0000_0000 &+ UInt64(arrival))
                    var sequence = (UInt64(arrival) << 8) &+ plan.wamidSalt
                    await runJourney(users[index], journey: journeys[persona.name]!, plan: plan, end: end, recorder: recorder,
                                     batcher: batcher, random: &random, sequence: &sequence, intendedStart: intended)
                }
            }
        }
    }

    /// One pass through a journey. `intendedStart` (open model) is when its first message was due.
    func runJourney(
        _ user: SimulatedUser, journey: CompiledJourney, plan: RunPlan, end: C.Instant, recorder: ShardedRecorder,
        batcher: DeliveryBatcher<C>?, random: inout SeededRandom, sequence: inout UInt64, intendedStart: C.Instant?
    ) async {
        recorder.record(user: user.index) { $0.journeysStarted += 1 }
        var outcome = JourneyOutcome.passed
        var lastReply: BotReply?
        var intended = intendedStart
        var stack: [ArraySlice<CompiledJourney.Node>] = [journey.nodes[...]]
        walk: while var frame = stack.popLast() {
            guard let node = frame.popFirst() else { continue }
            stack.append(frame)
            let stopNow = Task.isCancelled || (clock.now >= end && intended == nil)
            switch node {
            case .send(let outgoing, let expect, let key):
                if stopNow { outcome = .incomplete; break walk }
                sequence += 1
                let result = await turn(
                    user, persona: journey.persona, outgoing, expect: plan.awaitReplies ? expect : nil, key: key,
                    lastReply: lastReply, sequence: sequence, intended: intended, plan: plan, random: &random,
                    recorder: recorder, batcher: batcher)
                intended = nil  // later messages are sent when the user gets to them
                if let reply = result.reply { lastReply = reply }
                if let messages = result.flood, !stopNow {
                    // network-issues:burst: flood the bot, then wait as long as it asked before writing again.
                    let backOff = await flood(messages, user: user, persona: journey.persona, sequence: &sequence, plan: plan,
                                              recorder: recorder)
                    await pause(backOff, until: end)
                }
                // Think after each turn, failed or not (a person pauses before trying again; a failing target
                // must not turn users into a tight loop); in the open model not after a conversation's last turn.
                let more = result.passed && !result.injected && stack.contains { !$0.isEmpty }
                if plan.thinkTime.upperBound > .zero, intendedStart == nil || more {
                    await pause(Self.draw(plan.thinkTime, using: &random), until: end)
                }
                if !result.passed { outcome = .failed; break walk }
                if result.injected { break walk }  // degraded on purpose: the rest of the journey expects the healthy path
            case .think(let lo, let hi):
                if !stopNow { await pause(Self.draw(lo ... hi, using: &random), until: end) }
            case .branch(let matcher, let then, let otherwise):
                stack.append((lastReply.map(matcher.matches) == true ? then : otherwise)[...])
            }
        }
        recorder.record(user: user.index) { m in
            switch outcome {
            case .passed: m.journeysSucceeded += 1
            case .incomplete: m.journeysIncomplete += 1
            case .failed: break
            }
        }
    }

    enum JourneyOutcome { case passed, failed, incomplete }
}

/// The user identities free for a new open-model conversation: one conversation per identity at a time,
/// so replies correlate unambiguously, and least recently used first, so no simulated person writes far
/// more often than the others (and trips the bot's per-user rate limit).
final class IdentityPool: Sendable {
    private struct Queue {
        var items: [Int]
        var head = 0
    }
    private let free: Mutex<Queue>
    init(count: Int) { free = Mutex(Queue(items: Array(0..<count))) }
    func take() -> Int? {
        free.withLock { q in
            guard q.head < q.items.count else { return nil }
            defer {
                q.head += 1
                if q.head > 1024, q.head * 2 > q.items.count { q.items.removeFirst(q.head); q.head = 0 }
            }
            return q.items[q.head]
        }
    }
    func give(_ index: Int) { free.withLock { $0.items.append(index) } }
}
