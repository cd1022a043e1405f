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
        let recorder = ShardedRecorder(shards: min(max(1, plan.users), 4))
        let journeys = Dictionary(plan.scenario.personas.map { ($0.name, CompiledJourney($0)) }) { a, _ in a }
        let start = clock.now
        let end = start.advanced(by: plan.duration)
        let active = ActiveUsers()
        var partial = false
        let batcher = plan.delivery.batch > 1
            ? DeliveryBatcher(size: plan.delivery.batch, window: plan.delivery.batchWindow, clock: clock, business: plan.business,
                              signer: signer, transport: transport, onBatch: { n in recorder.record(user: n) { $0.batchesSent += 1 } })
            : nil
        await withTaskGroup(of: Background.self) { background in
            background.addTask { await sweepReplies(tick: .milliseconds(10)); return .done }
            if let batcher { background.addTask { await batcher.run(); return .done } }
            background.addTask {
                await reportProgress(plan, start: start, recorder: recorder, active: active, progress: progress)
                return .done
            }
            partial = await withTaskGroup(of: Child.self) { group in
                group.addTask { await stop.wait(); return .stopRequested }
                if let schedule = plan.arrivals {
                    group.addTask {
                        await launchArrivals(schedule, plan: plan, users: users, journeys: journeys, start: start, end: end,
                                             recorder: recorder, active: active, batcher: batcher)
                        return .userFinished
                    }
                } else {
                    for user in users {
                        group.addTask {
                            active.add(1)
                            defer { active.add(-1) }
                            let persona = plan.scenario.persona(forUser: user.index)
                            await runUser(user, journey: journeys[persona.name]!, plan: plan, end: end, recorder: recorder,
                                          batcher: batcher)
                            return .userFinished
                        }
                    }
                }
                var remaining = plan.arrivals == nil ? users.count : 1
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

    /// Closed model: one user repeating its journey until the run ends.
    private func runUser(
        _ user: SimulatedUser, journey: CompiledJourney, plan: RunPlan, end: C.Instant, recorder: ShardedRecorder,
        batcher: DeliveryBatcher<C>?
    ) async {
        var random = SeededRandom(seed: plan.seed, stream: UInt64(user.index))
        var sequence = UInt64(user.index) << 24
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
    private func launchArrivals(
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
                    var sequence = UInt64(arrival) << 8
                    await runJourney(users[index], journey: journeys[persona.name]!, plan: plan, end: end, recorder: recorder,
                                     batcher: batcher, random: &random, sequence: &sequence, intendedStart: intended)
                }
            }
        }
    }

    /// One pass through a journey. `intendedStart` (open model) is when its first message was due.
    private func runJourney(
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
                if !result.passed { outcome = .failed; break walk }
                // Think after each turn; in the open model not after the last, when the conversation is over.
                let more = stack.contains { !$0.isEmpty }
                if plan.thinkTime.upperBound > .zero, intendedStart == nil || more {
                    await pause(Self.draw(plan.thinkTime, using: &random), until: end)
                }
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

    private enum JourneyOutcome { case passed, failed, incomplete }

    /// One turn: post a message, then (when expected) wait for the reply. Returns whether it passed and
    /// the reply, if one came.
    private func turn(
        _ user: SimulatedUser, persona: Persona, _ outgoing: Outgoing, expect: (within: Duration?, matcher: ReplyMatcher)?,
        key: StepKey, lastReply: BotReply?, sequence: UInt64, intended plannedAt: C.Instant?, plan: RunPlan,
        random: inout SeededRandom, recorder: ShardedRecorder, batcher: DeliveryBatcher<C>?
    ) async -> (passed: Bool, reply: BotReply?) {
        if case .burst(let texts) = outgoing {
            return await burst(texts, user: user, persona: persona, expect: expect, key: key, sequence: sequence,
                               intended: plannedAt, plan: plan, random: &random, recorder: recorder)
        }
        let wamid = Wamid.inbound(phone: user.phone, sequence: sequence)
        let phone = persona.identity == .phone ? user.phone : nil
        let body: [UInt8]
        var batchItem: WebhookEnvelope.Item?
        if case .template(let name, let values) = outgoing {
            let standard = PayloadTemplate.standardValues(
                business: plan.business, phone: phone, profileName: user.profileName, bsuid: user.bsuid, wamid: wamid,
                timestamp: unixTime(), contextWamid: lastReply?.messageID ?? Wamid.outbound(phone: user.phone, sequence: sequence))
            guard let rendered = try? plan.templates[name]?.render(standard.merging(values) { $1 }) else {
                return notSent(.badTemplate, user: user, key: key, recorder: recorder)
            }
            body = rendered
        } else {
            guard let (content, context) = Self.content(outgoing, lastReply: lastReply, wamid: wamid, business: plan.business,
                                                        random: &random)
            else { return notSent(.noChoice, user: user, key: key, recorder: recorder) }
            let message = InboundMessage(id: wamid, timestamp: unixTime(), content: content, context: context)
            let item = WebhookEnvelope.Item(message: message, phone: phone, profileName: user.profileName,
                                            bsuid: plan.includeBSUID || persona.identity == .usernameOnly ? user.bsuid : nil)
            batchItem = item
            body = WebhookEnvelope.render(batch: [item], business: plan.business)
        }
        let signature = signer.signature(for: body)

        let intended = plannedAt ?? clock.now  // open model: from when the message was due, not when it went
        if let expect { correlator.open(user: user.index, wamid: wamid, deadline: intended.advanced(by: expect.within ?? plan.replyTimeout)) }
        var result = if let batcher, let batchItem {
            await batcher.deliver(batchItem)  // Meta batching: this message shares a POST with others
        } else {
            await deliver(body, signature: signature, user: user.index, plan: plan, random: &random, recorder: recorder)
        }
        var attempt = 0
        while plan.delivery.retries > attempt, !Task.isCancelled, result != .status(200) {
            // Meta redelivers what was not acked with 200: at once, then with growing gaps.
            if attempt > 0 { try? await clock.sleep(for: .seconds(1 << (attempt - 1))) }
            attempt += 1
            recorder.record(user: user.index) { $0.redeliveries += 1 }
            result = await transport.deliver(body: body, signature: signature, user: user.index)
        }
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
                m.steps[key, default: StepStats()].turns += 1
                m.steps[key, default: StepStats()].errors += 1
            }
            return (false, nil)
        }
        guard let expect else {
            recorder.record(user: user.index) { m in
                m.turns += 1
                m.ack.record(intended.duration(to: acked))
                m.steps[key, default: StepStats()].turns += 1
            }
            return (true, nil)
        }
        let outcome = await correlator.wait(user: user.index)
        return recorder.record(user: user.index) { m in
            m.turns += 1
            m.ack.record(intended.duration(to: acked))
            m.steps[key, default: StepStats()].turns += 1
            switch outcome {
            case .timedOut:
                m.errorTurns += 1
                m.count(.noReply)
                m.steps[key, default: StepStats()].errors += 1
                return (false, nil)
            case .replied(let reply, let at):
                let latency = intended.duration(to: at)
                m.replies += 1
                m.reply.record(latency)
                m.steps[key, default: StepStats()].reply.record(latency)
                if plan.fallback.isFallback(reply) { m.fallbackReplies += 1 }
                guard expect.matcher.matches(reply) else {
                    m.errorTurns += 1
                    m.count(.badReply)
                    m.steps[key, default: StepStats()].errors += 1
                    return (false, reply)
                }
                return (true, reply)
            }
        }
    }

    /// A burst: several messages posted back to back (reversed for a `reorder` share of bursts), one
    /// answer owed to each. Each message is a turn; the reply latency runs to the first answer.
    private func burst(
        _ texts: [String], user: SimulatedUser, persona: Persona, expect: (within: Duration?, matcher: ReplyMatcher)?,
        key: StepKey, sequence: UInt64, intended plannedAt: C.Instant?, plan: RunPlan, random: inout SeededRandom,
        recorder: ShardedRecorder
    ) async -> (passed: Bool, reply: BotReply?) {
        let now = unixTime()
        var messages = texts.enumerated().map { i, text in
            WebhookEnvelope.Item(
                message: InboundMessage(id: Wamid.inbound(phone: user.phone, sequence: sequence ^ UInt64(i) << 56), timestamp: now,
                                        content: .text(text)),
                phone: persona.identity == .phone ? user.phone : nil, profileName: user.profileName, bsuid: user.bsuid)
        }
        let reversed = Double(random.next() >> 11) / Double(1 << 53) < plan.delivery.reorder
        let ids = messages.map(\.message.id)
        if reversed { messages.reverse() }
        let n = UInt64(texts.count)
        let intended = plannedAt ?? clock.now
        if let expect {
            correlator.open(user: user.index, wamid: ids.last!, deadline: intended.advanced(by: expect.within ?? plan.replyTimeout),
                            replies: texts.count, also: Array(ids.dropLast()))
        }
        var failure: ErrorClass?
        var acks: [Duration] = []
        for item in messages where failure == nil {
            let body = WebhookEnvelope.render(batch: [item], business: plan.business)
            let sentAt = clock.now
            switch await transport.deliver(body: body, signature: signer.signature(for: body), user: user.index) {
            case .status(let status): failure = ErrorClass.forStatus(status)
            case .failed(let why): failure = why.errorClass
            }
            acks.append(sentAt.duration(to: clock.now))
        }
        let outcome: ReplyCorrelator<C.Instant>.Outcome? = if failure == nil, expect != nil {
            await correlator.wait(user: user.index)
        } else {
            nil
        }
        if failure != nil, expect != nil { correlator.abandon(user: user.index) }
        return recorder.record(user: user.index) { m in
            m.turns += n
            m.steps[key, default: StepStats()].turns += n
            if reversed { m.reordered += 1 }
            for ack in acks where failure == nil { m.ack.record(ack) }
            func fail(_ why: ErrorClass) -> (Bool, BotReply?) {
                m.errorTurns += n
                for _ in 0..<n { m.count(why) }
                m.steps[key, default: StepStats()].errors += n
                return (false, nil)
            }
            if let failure { return fail(failure) }
            guard let expect, let outcome else { return (true, nil) }
            switch outcome {
            case .timedOut: return fail(.noReply)
            case .replied(let reply, let at):
                m.replies += n
                m.reply.record(intended.duration(to: at))
                m.steps[key, default: StepStats()].reply.record(intended.duration(to: at))
                if plan.fallback.isFallback(reply) { m.fallbackReplies += 1 }
                guard expect.matcher.matches(reply) else { return fail(.badReply) }
                return (true, reply)
            }
        }
    }

    /// A turn the user could not send (nothing to choose, a template that does not render): an error turn.
    private func notSent(_ why: ErrorClass, user: SimulatedUser, key: StepKey, recorder: ShardedRecorder) -> (passed: Bool, reply: BotReply?) {
        recorder.record(user: user.index) { m in
            m.turns += 1
            m.errorTurns += 1
            m.count(why)
            m.steps[key, default: StepStats()].turns += 1
            m.steps[key, default: StepStats()].errors += 1
        }
        return (false, nil)
    }

    /// Posts a delivery, and for a `plan.delivery.duplicates` share of messages the same bytes again —
    /// half the time concurrently, as Meta's parallel redeliveries do, else right after the first.
    private func deliver(
        _ body: [UInt8], signature: String, user: Int, plan: RunPlan, random: inout SeededRandom, recorder: ShardedRecorder
    ) async -> DeliveryResult {
        let roll = Double(random.next() >> 11) / Double(1 << 53)
        guard roll < plan.delivery.duplicates else { return await transport.deliver(body: body, signature: signature, user: user) }
        recorder.record(user: user) { $0.duplicatesSent += 1 }
        if roll < plan.delivery.duplicates / 2 {
            async let twin = transport.deliver(body: body, signature: signature, user: user)
            let first = await transport.deliver(body: body, signature: signature, user: user)
            _ = await twin
            return first
        }
        let first = await transport.deliver(body: body, signature: signature, user: user)
        _ = await transport.deliver(body: body, signature: signature, user: user)
        return first
    }

    /// The message content for `outgoing`; nil when a `choose` finds nothing to choose.
    static func content(
        _ outgoing: Outgoing, lastReply: BotReply?, wamid: String, business: BusinessIdentity, random: inout SeededRandom
    ) -> (InboundMessage.Content, InboundMessage.Context?)? {
        let mediaSeed = wamid.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }  // FNV-1a: stable
        let quoted = lastReply?.messageID.map { InboundMessage.Context(from: business.displayPhoneNumber, id: $0) }
        switch outgoing {
        case .text(let bodies): return (.text(bodies[Int(random.next() % UInt64(bodies.count))]), nil)
        case .buttonReply(let id, let title): return (.buttonReply(id: id, title: title), quoted)
        case .listReply(let id, let title): return (.listReply(id: id, title: title, description: nil), quoted)
        case .location(let lat, let lon, let name): return (.location(latitude: lat, longitude: lon, name: name, address: nil), nil)
        case .image(let caption): return (.image(.make(seed: mediaSeed, mimeType: "image/jpeg"), caption: caption), nil)
        case .audio(let voice):
            return (.audio(.make(seed: mediaSeed, mimeType: voice ? "audio/ogg; codecs=opus" : "audio/mpeg"), voice: voice), nil)
        case .document(let filename, let caption):
            return (.document(.make(seed: mediaSeed, mimeType: "application/pdf"), filename: filename, caption: caption), nil)
        case .sticker(let animated): return (.sticker(.make(seed: mediaSeed, mimeType: "image/webp"), animated: animated), nil)
        case .reaction(let emoji):
            let target = lastReply?.messageID ?? Wamid.outbound(phone: business.displayPhoneNumber, sequence: random.next())
            return (.reaction(messageID: target, emoji: emoji), nil)
        case .unsupported(let kind): return (.unsupported(kind: kind), nil)
        case .template, .burst:
            return nil  // rendered by `turn` (from its template) and `burst`
        case .choose(let choice):
            guard let reply = lastReply, let (isButton, option) = choice.pick(from: reply, random: &random) else { return nil }
            let content: InboundMessage.Content = isButton
                ? .buttonReply(id: option.id, title: option.title) : .listReply(id: option.id, title: option.title, description: nil)
            return (content, quoted)
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

/// The number of users currently running, for progress lines.
final class ActiveUsers: Sendable {
    private let value = Synchronization.Atomic<Int>(0)
    func add(_ delta: Int) { value.add(delta, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
