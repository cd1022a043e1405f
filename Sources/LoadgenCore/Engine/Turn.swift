/// One turn as a user reaches it: who sends, what, what is expected back, and where the journey is.
/// Its methods post the message (with Meta's duplicates, retries and batches), wait for the reply on
/// the run's clock, and record the judgement.
struct Turn<C: EngineClock>: Sendable {
    let run: EngineRun<C>
    let user: SimulatedUser
    let persona: Persona
    /// The user's bytes in every delivery, rendered once (`JourneyRun.sender`).
    let sender: WebhookEnvelope.Sender
    let key: StepKey
    /// nil: no reply awaited.
    let expect: Expectation?
    let lastReply: BotReply?
    /// The user's previous message (nil: none yet), the one a revoke deletes or an edit changes.
    let previous: String?
    let sequence: UInt64
    /// Open model: when the message was due (latency counts from there, not from when it went).
    let intended: C.Instant?

    // Borrowed, not returned: a getter hands back a copy of the whole struct (every reference in it
    // retained and released), and a turn reads a field of these a dozen times.
    var engine: Engine<C> { _read { yield run.engine } }
    var workload: Workload { _read { yield run.workload } }

    /// Posts the message (or, with traffic-side chaos, what the fault makes of it) and measures its ack
    /// and reply.
    func perform(_ outgoing: Outgoing, random: inout SeededRandom) async -> TurnResult {
        if case .burst(let texts) = outgoing {
            var personal: [String] = []
            for text in texts { personal.append(user.personalise(text, random: &random)) }
            return await burst(personal, random: &random)
        }
        let wamid = Wamid.inbound(phone: user.phone, sequence: sequence)
        var outgoing = outgoing
        var flood: Int?
        if let injector = engine.injector, let (_, shape) = injector.fault(at: .traffic, correlationID: wamid, elapsed: run.elapsed) {
            switch shape {
            case .rateLimitBurst(let messages):
                flood = messages  // network-issues:burst: the user floods the bot after this turn
            default:
                // Pattern 4: the user sends something incomplete or unparsable instead.
                outgoing = random.next() % 2 == 0 ? .unsupported(kind: "poll_creation") : .text(oneOf: ["…"])
            }
        }
        let message: Message
        switch render(outgoing, wamid: wamid, random: &random) {
        case .success(let rendered): message = rendered
        case .failure(let why): return notSent(why.errorClass)
        }
        var result = await send(message, wamid: wamid, random: &random)
        result.flood = flood
        if !outgoing.changesPreviousMessage { result.sent = wamid }
        return result
    }

    /// A message ready to post: its bytes, and the item a batch would carry.
    struct Message {
        var body: [UInt8]
        var item: WebhookEnvelope.Item?
    }

    /// Why a message could not be made.
    enum NotSent: Error {
        case badTemplate, noChoice
        var errorClass: ErrorClass { self == .badTemplate ? .badTemplate : .noChoice }
    }

    /// What a revoke deletes or an edit changes: the user's previous message, or before any, an id the user
    /// never sent (sequence 0: a journey's first message has sequence 1 or later), which a bot must take too.
    var original: String { previous ?? Wamid.inbound(phone: user.phone, sequence: 0) }

    /// Renders `outgoing` as Meta would deliver it (a payload template, or a message of the user's).
    private func render(_ outgoing: Outgoing, wamid: String, random: inout SeededRandom) -> Result<Message, NotSent> {
        if case .template(let name, let values) = outgoing {
            let standard = PayloadTemplate.standardValues(
                business: workload.business, phone: persona.identity == .phone ? user.phone : nil, profileName: user.profileName,
                bsuid: user.bsuid, wamid: wamid, timestamp: engine.unixTime(),
                contextWamid: lastReply?.messageID ?? Wamid.outbound(phone: user.phone, sequence: sequence), previousWamid: original)
            guard let body = try? workload.templates[name]?.render(standard.merging(values) { $1 }) else { return .failure(.badTemplate) }
            return .success(Message(body: body))
        }
        guard let (content, context) = MessageContent.content(outgoing, lastReply: lastReply, wamid: wamid, original: original,
                                                              business: workload.business, random: &random, user: user)
        else { return .failure(.noChoice) }
        let message = InboundMessage(id: wamid, timestamp: engine.unixTime(), content: content, context: context,
                                     referral: MessageContent.referral(outgoing, wamid: wamid))
        // Batched with others (Meta's batching) it is rendered again, with them; alone (and when redelivered), as it is here.
        let item = run.batcher == nil ? nil : MessageContent.item(message, from: user, persona: persona, workload: workload)
        return .success(Message(body: WebhookEnvelope.render(message, from: sender, frame: workload.envelope), item: item))
    }

    /// Posts `message`, redelivers it as Meta would when it was not acked, waits for the reply, judges.
    private func send(_ message: Message, wamid: String, random: inout SeededRandom) async -> TurnResult {
        let signature = engine.signer.signature(for: message.body)
        let now = run.clock.now
        let intended = self.intended ?? now
        let sentAt = run.start.duration(to: now)
        if expect != nil { engine.correlator.open(user: user.index, wamid: wamid) }
        var delivered = if let batcher = run.batcher, let item = message.item {
            Delivered(await batcher.deliver(item))  // Meta batching: this message shares a POST with others
        } else {
            await deliver(message.body, signature: signature, random: &random)
        }
        var attempt = 0
        while workload.delivery.retries > attempt, !run.stopping, delivered.result != .status(200) {
            // Meta redelivers what was not acked with 200: at once, then with growing gaps.
            if attempt > 0 { try? await run.clock.sleep(for: .seconds(1 << (attempt - 1))) }
            attempt += 1
            run.recorder.record(user: user.index) { $0.redeliveries += 1 }
            delivered = await engine.transport.deliverExplaining(body: message.body, signature: signature, user: user.index)
        }
        let ack = AckSample(elapsed: intended.duration(to: run.clock.now), waited: delivered.waited)
        let failure = delivered.result.errorClass
        if let failure, let said = delivered.said { run.recorder.record(user: user.index) { $0.noteError(failure, said: said) } }
        var reply = TurnEvidence.Reply.notAwaited
        if let expect {
            if failure != nil { engine.correlator.abandon(user: user.index) } else {
                reply = await awaitReply(until: intended.advanced(by: expect.within ?? workload.replyTimeout), intended: intended)
            }
        }
        return judge(failure: failure, reply: reply, hit: engine.injector?.patterns(forTurn: wamid) ?? [], acks: CollectionOfOne(ack), sentAt: sentAt)
    }

    /// The reply to the open turn, or its timeout at `deadline`.
    func awaitReply(until deadline: C.Instant, intended: C.Instant) async -> TurnEvidence.Reply {
        switch await engine.correlator.wait(user: user.index, until: deadline, on: run.clock) {
        case .timedOut: .timedOut
        case .unjudged: .unjudged
        case .replied(let reply, let at): .replied(reply, latency: intended.duration(to: at), answers: [])
        }
    }

    /// Judges the turn (or a burst of `turns` messages), records it, and says how it ended.
    func judge(
        failure: ErrorClass?, reply: TurnEvidence.Reply, hit: [FailurePattern], acks: some BidirectionalCollection<AckSample>, sentAt: Duration,
        turns: UInt64 = 1, reordered: Bool = false
    ) -> TurnResult {
        let graceful = hit.compactMap { engine.injector?.expectation(for: $0) }
        let verdict = TurnVerdict.judge(TurnEvidence(failure: failure, reply: reply, expected: expect?.matcher ?? .anything, hit: hit,
                                                     graceful: graceful, fallback: workload.fallback))
        let moment = run.chaosMoment(at: sentAt)
        run.recorder.record(user: user.index) { m in
            if reordered { m.reordered += 1 }
            m.record(verdict, turns: turns, of: key, acks: acks, at: moment)
        }
        return TurnResult(passed: verdict.passed, reply: reply.reply, injected: verdict.injected)
    }

    /// A turn the user could not send (nothing to choose, a template that does not render): an error turn.
    private func notSent(_ why: ErrorClass) -> TurnResult {
        run.recorder.record(user: user.index) { m in
            m.countTurns(of: key)
            m.countErrors(of: key, why)
        }
        return TurnResult(passed: false, reply: nil, injected: false)
    }

    /// Posts a delivery, and for a `duplicates` share of messages the same bytes again — half the time
    /// concurrently, as Meta's parallel redeliveries do, else right after the first.
    private func deliver(_ body: [UInt8], signature: String, random: inout SeededRandom) async -> Delivered {
        let transport = engine.transport
        let share = workload.delivery.duplicates
        let roll = random.nextFraction()
        guard roll < share else { return await transport.deliverExplaining(body: body, signature: signature, user: user.index) }
        run.recorder.record(user: user.index) { $0.duplicatesSent += 1 }
        if roll < share / 2 {
            async let twin = transport.deliver(body: body, signature: signature, user: user.index)
            let first = await transport.deliverExplaining(body: body, signature: signature, user: user.index)
            _ = await twin
            return first
        }
        let first = await transport.deliverExplaining(body: body, signature: signature, user: user.index)
        _ = await transport.deliver(body: body, signature: signature, user: user.index)
        return first
    }
}

extension DeliveryResult {
    /// The error class of a delivery that was not an ack (nil: acked with exactly 200).
    public var errorClass: ErrorClass? {
        switch self {
        case .status(let status): ErrorClass.forStatus(status)
        case .failed(let why): why.errorClass
        }
    }
}
