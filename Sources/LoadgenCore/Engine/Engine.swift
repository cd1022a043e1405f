import Synchronization

/// Runs a plan: one structured task tree per run, with each simulated user a child task.
///
/// Users are logical: they share the transport's pooled connections and record into per-shard
/// recorders. When the duration ends (or `stop` fires) users start no new turn, finish the one in
/// flight — waiting for its reply up to the reply timeout — and return. Nothing outlives `run`.
public struct Engine<C: Clock<Duration>>: Sendable {
    let clock: C
    let transport: any WebhookTransport
    let signer: WebhookSigner
    let correlator: ReplyCorrelator<C.Instant>
    let unixTime: @Sendable () -> Int64

    /// An engine that posts through `transport`, signs with `signer`, and learns of replies through
    /// `correlator` (which the stand-in Graph API feeds with the same clock).
    public init(
        clock: C, transport: any WebhookTransport, signer: WebhookSigner, correlator: ReplyCorrelator<C.Instant>,
        unixTime: @escaping @Sendable () -> Int64
    ) {
        self.clock = clock
        self.transport = transport
        self.signer = signer
        self.correlator = correlator
        self.unixTime = unixTime
    }

    private enum Child: Sendable { case userFinished, stopRequested }
    private enum Background: Sendable { case done }

    /// Runs `plan` until its duration ends or `stop` fires; `progress` is called every
    /// `plan.progressInterval` from the run's own task tree.
    public func run(
        _ plan: RunPlan, users: [SimulatedUser], stop: StopSignal = StopSignal(),
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async -> (metrics: RunMetrics, elapsed: Duration, partial: Bool) {
        let recorder = ShardedRecorder(shards: min(max(1, plan.users), 16))
        let start = clock.now
        let end = start.advanced(by: plan.duration)
        let active = ActiveUsers()
        var partial = false
        await withTaskGroup(of: Background.self) { background in
            background.addTask { await sweepReplies(tick: .milliseconds(10)); return .done }
            background.addTask {
                await reportProgress(plan, start: start, recorder: recorder, active: active, progress: progress)
                return .done
            }
            partial = await withTaskGroup(of: Child.self) { group in
                group.addTask { await stop.wait(); return .stopRequested }
                for user in users {
                    group.addTask {
                        active.add(1)
                        defer { active.add(-1) }
                        await runUser(user, plan: plan, end: end, recorder: recorder)
                        return .userFinished
                    }
                }
                var remaining = users.count
                var stopped = false
                while remaining > 0, let child = await group.next() {
                    switch child {
                    case .userFinished: remaining -= 1
                    case .stopRequested:
                        stopped = stop.isTriggered
                        group.cancelAll()  // users stop starting turns; in-flight ones finish
                    }
                }
                group.cancelAll()
                return stopped
            }
            background.cancelAll()
        }
        return (recorder.snapshot(), start.duration(to: clock.now), partial)
    }

    private func sweepReplies(tick: Duration) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: tick) } catch { return }
            correlator.expire(now: clock.now)
        }
    }

    private func reportProgress(
        _ plan: RunPlan, start: C.Instant, recorder: ShardedRecorder, active: ActiveUsers,
        progress: @Sendable (Progress) -> Void
    ) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: plan.progressInterval) } catch { return }
            progress(Progress(elapsed: start.duration(to: clock.now), duration: plan.duration,
                              activeUsers: active.count, metrics: recorder.snapshot()))
        }
    }

    // MARK: - One user

    private func runUser(_ user: SimulatedUser, plan: RunPlan, end: C.Instant, recorder: ShardedRecorder) async {
        var random = SeededRandom(seed: plan.seed, stream: UInt64(user.index))
        var sequence: UInt64 = 0
        // Spread the first turns over one mean think time, so users do not all fire at t = 0.
        let meanThink = (plan.thinkTime.lowerBound + plan.thinkTime.upperBound) / 2
        if meanThink > .zero {
            await pause(Self.draw(.zero ... meanThink, using: &random), until: end)
        }
        var journeys = 0
        while !Task.isCancelled, clock.now < end, journeys < (plan.journeysPerUser ?? .max) {
            journeys += 1
            recorder.record(user: user.index) { $0.journeysStarted += 1 }
            var state = JourneyState()
            var steps = plan.scenario.journey[...]
            while let step = steps.popFirst() {
                let stopNow = Task.isCancelled || clock.now >= end
                if case .send = step, stopNow { state.incomplete = true; break }
                switch step {
                case .send(let outgoing):
                    let expect: (Duration?, ReplyMatcher)? =
                        if case .expectReply(let within, let matcher) = steps.first, plan.awaitReplies {
                            (within, matcher)
                        } else { nil }
                    if expect != nil { steps.removeFirst() }
                    sequence += 1
                    let passed = await turn(user, outgoing, expect: expect, sequence: sequence, plan: plan,
                                            random: &random, recorder: recorder)
                    if !passed { state.failed = true }
                    if plan.thinkTime.upperBound > .zero {
                        await pause(Self.draw(plan.thinkTime, using: &random), until: end)
                    }
                case .expectReply:
                    continue  // an expectation with no send before it; validation keeps these rare
                case .think(let lo, let hi):
                    if stopNow { continue }
                    await pause(Self.draw(lo ... hi, using: &random), until: end)
                }
                if state.failed { break }  // later steps depend on this one; start the next journey
            }
            recorder.record(user: user.index) { m in
                if state.incomplete { m.journeysIncomplete += 1 } else if !state.failed { m.journeysSucceeded += 1 }
            }
        }
    }

    private struct JourneyState {
        var failed = false
        var incomplete = false
    }

    /// One turn: post a message, then (when expected) wait for the reply. Returns whether it passed.
    private func turn(
        _ user: SimulatedUser, _ outgoing: Outgoing, expect: (Duration?, ReplyMatcher)?, sequence: UInt64,
        plan: RunPlan, random: inout SeededRandom, recorder: ShardedRecorder
    ) async -> Bool {
        let wamid = Wamid.inbound(phone: user.phone, sequence: UInt64(user.index) << 24 | sequence)
        let message = InboundMessage(id: wamid, timestamp: unixTime(), content: Self.content(outgoing, &random))
        let body = WebhookEnvelope.render(message, from: user, business: plan.business, includeBSUID: plan.includeBSUID)
        let signature = signer.signature(for: body)

        let intended = clock.now
        if let expect { correlator.open(user: user.index, wamid: wamid, deadline: intended.advanced(by: expect.0 ?? plan.replyTimeout)) }
        let result = await transport.deliver(body: body, signature: signature, user: user.index)
        let acked = clock.now

        let failure: ErrorClass? = switch result {
        case .status(let status): ErrorClass.forStatus(status)
        case .failed(let why): why.errorClass
        }
        if let failure {
            if expect != nil { correlator.abandon(user: user.index) }
            recorder.record(user: user.index) { m in
                m.turns += 1
                m.errorTurns += 1
                m.count(failure)
            }
            return false
        }
        guard let (_, matcher) = expect else {
            recorder.record(user: user.index) { m in
                m.turns += 1
                m.ack.record(intended.duration(to: acked))
            }
            return true
        }
        let outcome = await correlator.wait(user: user.index)
        return recorder.record(user: user.index) { m in
            m.turns += 1
            m.ack.record(intended.duration(to: acked))
            switch outcome {
            case .timedOut:
                m.errorTurns += 1
                m.count(.noReply)
                return false
            case .replied(let reply, let at):
                m.replies += 1
                m.reply.record(intended.duration(to: at))
                if plan.fallback.isFallback(reply) { m.fallbackReplies += 1 }
                guard matcher.matches(reply) else {
                    m.errorTurns += 1
                    m.count(.badReply)
                    return false
                }
                return true
            }
        }
    }

    private static func content(_ outgoing: Outgoing, _ random: inout SeededRandom) -> InboundMessage.Content {
        switch outgoing {
        case .text(let bodies): .text(bodies[Int(random.next() % UInt64(bodies.count))])
        case .buttonReply(let id, let title): .buttonReply(id: id, title: title)
        case .listReply(let id, let title): .listReply(id: id, title: title, description: nil)
        case .location(let lat, let lon, let name): .location(latitude: lat, longitude: lon, name: name, address: nil)
        }
    }

    /// Sleeps for `duration`, but not past `end`, and not at all once cancelled.
    private func pause(_ duration: Duration, until end: C.Instant) async {
        guard duration > .zero, !Task.isCancelled else { return }
        let wake = min(clock.now.advanced(by: duration), end)
        try? await clock.sleep(until: wake, tolerance: nil)
    }

    static func draw(_ range: ClosedRange<Duration>, using random: inout SeededRandom) -> Duration {
        let span = range.upperBound - range.lowerBound
        guard span > .zero else { return range.lowerBound }
        let fraction = Double(random.next() >> 11) / Double(1 << 53)
        return range.lowerBound + span * fraction
    }
}

/// The number of users currently running, for progress lines.
final class ActiveUsers: Sendable {
    private let value = Synchronization.Atomic<Int>(0)
    func add(_ delta: Int) { value.add(delta, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
