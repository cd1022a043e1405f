/// One turn: what the user sends, how it is delivered (duplicates, retries, batches, bursts), and how
/// its ack and reply are measured.
extension Engine {
    /// One turn: post a message, then (when expected) wait for the reply. Returns whether it passed and
    /// the reply, if one came.
    func turn(
        _ user: SimulatedUser, persona: Persona, _ outgoing: Outgoing, expect: (within: Duration?, matcher: ReplyMatcher)?,
        key: StepKey, lastReply: BotReply?, sequence: UInt64, intended plannedAt: C.Instant?, plan: RunPlan,
        random: inout SeededRandom, recorder: ShardedRecorder, batcher: DeliveryBatcher<C>?
    ) async -> TurnResult {
        if case .burst(let texts) = outgoing {
            return await burst(texts, user: user, persona: persona, expect: expect, key: key, sequence: sequence,
                               intended: plannedAt, plan: plan, random: &random, recorder: recorder)
        }
        let wamid = Wamid.inbound(phone: user.phone, sequence: sequence)
        var outgoing = outgoing
        var flood: Int?
        if let injector, let (_, shape) = injector.fault(at: .traffic, correlationID: wamid) {
            switch shape {
            case .rateLimitBurst(let messages):
                flood = messages  // network-issues:burst: the user floods the bot after this turn
            default:
                // Pattern 4: the user sends something incomplete or unparsable instead.
                outgoing = random.next() % 2 == 0 ? .unsupported(kind: "poll_creation") : .text(oneOf: ["…"])
            }
        }
        var result = await send(
            outgoing, wamid: wamid, user: user, persona: persona, expect: expect, key: key, lastReply: lastReply, sequence: sequence,
            intended: plannedAt, plan: plan, random: &random, recorder: recorder, batcher: batcher)
        result.flood = flood
        return result
    }

    /// Posts one message (already decided, chaos included) and measures its ack and reply.
    private func send(
        _ outgoing: Outgoing, wamid: String, user: SimulatedUser, persona: Persona, expect: (within: Duration?, matcher: ReplyMatcher)?,
        key: StepKey, lastReply: BotReply?, sequence: UInt64, intended plannedAt: C.Instant?, plan: RunPlan,
        random: inout SeededRandom, recorder: ShardedRecorder, batcher: DeliveryBatcher<C>?
    ) async -> TurnResult {
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
            let item = Self.item(message, from: user, persona: persona, plan: plan)
            batchItem = item
            body = WebhookEnvelope.render(batch: [item], business: plan.business)
        }
        let signature = signer.signature(for: body)

        let intended = plannedAt ?? clock.now  // open model: from when the message was due, not when it went
        let chaosElapsed = injector?.elapsed
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
        if failure != nil, expect != nil { correlator.abandon(user: user.index) }
        let outcome = failure == nil && expect != nil ? await correlator.wait(user: user.index) : nil
        let hit = injector?.patterns(forTurn: wamid) ?? []
        return recorder.record(user: user.index) { m in
            judge(&m, turns: 1, key: key, failure: failure, outcome: outcome, expect: expect, hit: hit,
                  acks: [intended.duration(to: acked)], intended: intended, chaosElapsed: chaosElapsed, plan: plan)
        }
    }

    /// Records a turn (or a burst of `turns` messages) and judges it: the ack, then the delivery failure,
    /// the missing reply or the reply against the step's expectation — or, when upstream faults hit it,
    /// against their graceful expectations (any of them), counting the pattern's verdict and its phase.
    private func judge(
        _ m: inout RunMetrics, turns n: UInt64, key: StepKey, failure: ErrorClass?, outcome: ReplyCorrelator<C.Instant>.Outcome?,
        expect: (within: Duration?, matcher: ReplyMatcher)?, hit: [FailurePattern], acks: [Duration], intended: C.Instant,
        chaosElapsed: Duration?, plan: RunPlan, answers: [BotReply] = []
    ) -> TurnResult {
        let injected = !hit.isEmpty
        m.countTurns(n, of: key)
        if let failure {
            m.countErrors(n, of: key, failure)
            for pattern in hit {
                m.patterns[pattern, default: PatternStats()].injected += 1
                m.patterns[pattern, default: PatternStats()].errored += 1
            }
            recordPhase(&m, chaosElapsed, key: key, turns: n, error: failure, fallback: false, injected: injected, latency: nil)
            return TurnResult(passed: false, reply: nil, injected: injected)
        }
        for ack in acks { m.ack.record(ack) }
        guard let expect, let outcome else { return TurnResult(passed: true, reply: nil, injected: false) }  // nothing to judge
        for pattern in hit { m.patterns[pattern, default: PatternStats()].injected += 1 }
        switch outcome {
        case .timedOut:
            m.countErrors(n, of: key, .noReply)
            for pattern in hit { m.patterns[pattern, default: PatternStats()].silent += 1 }
            recordPhase(&m, chaosElapsed, key: key, turns: n, error: .noReply, fallback: false, injected: injected, latency: nil, ack: acks.last)
            return TurnResult(passed: false, reply: nil, injected: injected)
        case .replied(let reply, let at):
            let latency = intended.duration(to: at)
            let fallback = plan.fallback.isFallback(reply)
            m.replies += n
            m.reply.record(latency)
            m.steps[key, default: StepStats()].reply.record(latency)
            if fallback { m.fallbackReplies += 1 }
            // Graceful: the pattern's fallback reply. Absorbed: the bot retried its way to the normal reply.
            let matcher = hit.isEmpty ? expect.matcher : .oneOf(hit.compactMap { injector?.expectation(for: $0) })
            let all = answers.isEmpty ? [reply] : answers
            let graceful = injected ? all.contains(where: matcher.matches) : matcher.matches(reply)
            let absorbed = injected && !graceful && expect.matcher.matches(reply)
            let passed = graceful || absorbed
            for pattern in hit {
                if graceful {
                    m.patterns[pattern, default: PatternStats()].graceful += 1
                    m.patterns[pattern, default: PatternStats()].activation.record(latency)
                } else if absorbed {
                    m.patterns[pattern, default: PatternStats()].absorbed += 1
                } else {
                    m.patterns[pattern, default: PatternStats()].wrong += 1
                }
            }
            recordPhase(&m, chaosElapsed, key: key, turns: n, error: passed ? nil : .badReply, fallback: fallback, injected: injected,
                        latency: latency, ack: acks.last)
            guard passed else {
                m.countErrors(n, of: key, .badReply)
                return TurnResult(passed: false, reply: reply, injected: injected)
            }
            return TurnResult(passed: true, reply: reply, injected: injected)
        }
    }

    /// Chaos runs: counts the turn in the phase it started in, and a clean turn after a fault window
    /// closed as that window's recovery point.
    private func recordPhase(
        _ m: inout RunMetrics, _ elapsed: Duration?, key: StepKey, turns n: UInt64 = 1, error: ErrorClass?, fallback: Bool,
        injected: Bool, latency: Duration?, ack: Duration? = nil
    ) {
        guard let elapsed, let chaos = injector?.chaos, !chaos.isEmpty else { return }
        let phase = chaos.phase(at: elapsed)
        let passed = error == nil
        m.steps[key, default: StepStats()].count(phase: phase, turns: n, errors: error == nil ? 0 : n)
        m.phases[phase, default: PhaseStats()].turns += n
        if let error {
            m.phases[phase, default: PhaseStats()].errors += n
            m.phases[phase, default: PhaseStats()].errorsByClass[error.rawValue, default: 0] += n
        }
        if fallback { m.phases[phase, default: PhaseStats()].fallbacks += 1 }
        if let latency { m.phases[phase, default: PhaseStats()].reply.record(latency) }
        if let ack { m.phases[phase, default: PhaseStats()].ack.record(ack) }
        guard passed, !fallback, !injected else { return }
        for (i, after) in chaos.recoveryCandidates(at: elapsed) {
            m.recoveredAt[i] = min(m.recoveredAt[i] ?? after, after)
        }
    }

    /// A burst: several messages posted back to back (reversed for a `reorder` share of bursts), one
    /// answer owed to each. Each message is a turn; the reply latency runs to the first answer.
    func burst(
        _ texts: [String], user: SimulatedUser, persona: Persona, expect: (within: Duration?, matcher: ReplyMatcher)?,
        key: StepKey, sequence: UInt64, intended plannedAt: C.Instant?, plan: RunPlan, random: inout SeededRandom,
        recorder: ShardedRecorder
    ) async -> TurnResult {
        let now = unixTime()
        var messages = texts.enumerated().map { i, text in
            WebhookEnvelope.Item(
                message: InboundMessage(id: Wamid.inbound(phone: user.phone, sequence: sequence ^ UInt64(i) << 56), timestamp: now,
                                        content: .text(text)),
                phone: persona.identity == .phone ? user.phone : nil, profileName: user.profileName, bsuid: user.bsuid)
        }
        let reversed = random.nextFraction() < plan.delivery.reorder
        let ids = messages.map(\.message.id)
        if reversed { messages.reverse() }
        let n = UInt64(texts.count)
        let intended = plannedAt ?? clock.now
        let chaosElapsed = injector?.elapsed
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
        let (outcome, answers): (ReplyCorrelator<C.Instant>.Outcome?, [BotReply]) = if failure == nil, expect != nil {
            await correlator.waitForAll(user: user.index)
        } else {
            (nil, [])
        }
        if failure != nil, expect != nil { correlator.abandon(user: user.index) }
        // Upstream faults may hit any message of the burst: the burst is judged once, by all of them,
        // on all its answers (the answer to the message a fault hit need not come first).
        var hit: [FailurePattern] = []
        for id in ids { for p in injector?.patterns(forTurn: id) ?? [] where !hit.contains(p) { hit.append(p) } }
        return recorder.record(user: user.index) { m in
            if reversed { m.reordered += 1 }
            return judge(&m, turns: n, key: key, failure: failure, outcome: outcome, expect: expect, hit: hit, acks: acks,
                         intended: intended, chaosElapsed: chaosElapsed, plan: plan, answers: answers)
        }
    }

    /// A turn the user could not send (nothing to choose, a template that does not render): an error turn.
    func notSent(_ why: ErrorClass, user: SimulatedUser, key: StepKey, recorder: ShardedRecorder) -> TurnResult {
        recorder.record(user: user.index) { m in
            m.countTurns(of: key)
            m.countErrors(of: key, why)
        }
        return TurnResult(passed: false, reply: nil, injected: false)
    }

    /// Posts a delivery, and for a `plan.delivery.duplicates` share of messages the same bytes again —
    /// half the time concurrently, as Meta's parallel redeliveries do, else right after the first.
    func deliver(
        _ body: [UInt8], signature: String, user: Int, plan: RunPlan, random: inout SeededRandom, recorder: ShardedRecorder
    ) async -> DeliveryResult {
        let roll = random.nextFraction()
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
}

extension Engine {
    /// A message as Meta delivers it from `user`: the phone number unless the persona is username-only,
    /// the BSUID when the plan sends them (always for username-only users, who have nothing else).
    static func item(_ message: InboundMessage, from user: SimulatedUser, persona: Persona, plan: RunPlan) -> WebhookEnvelope.Item {
        WebhookEnvelope.Item(message: message, phone: persona.identity == .phone ? user.phone : nil, profileName: user.profileName,
                             bsuid: plan.includeBSUID || persona.identity == .usernameOnly ? user.bsuid : nil)
    }
}

/// How a turn ended: passed, the reply if one came, and whether a fault hit it (which ends the journey:
/// the bot degraded on purpose, and later steps would expect the healthy path).
struct TurnResult {
    var passed: Bool
    var reply: BotReply?
    var injected: Bool
    /// Traffic-side chaos: after this turn the user floods the bot with this many messages.
    var flood: Int? = nil
}
