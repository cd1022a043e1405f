/// One user's pass through its journey, and what it carries from turn to turn: its random stream and
/// message sequence (which outlive a pass in the closed model), the bot's last reply, and — in the open
/// model — when the conversation's first message was due.
struct JourneyRun<C: EngineClock>: Sendable {
    let run: EngineRun<C>
    let user: SimulatedUser
    let journey: CompiledJourney
    /// The user's bytes in every delivery (its `contacts[]` entry and `from` fields), rendered at its first
    /// message: not while the users are made, when 100,000 of them kept the threads busy as the first fell due.
    private var sender: WebhookEnvelope.Sender?
    var random: SeededRandom
    var sequence: UInt64
    /// The user's last message (a revoke or an edit is not one: it changes this one), across passes.
    var lastSent: String?
    let intendedStart: C.Instant?
    /// Where the pass under way is.
    private var pass = Pass()

    init(run: EngineRun<C>, user: SimulatedUser, journey: CompiledJourney, random: SeededRandom, sequence: UInt64, intendedStart: C.Instant?) {
        self.run = run
        self.user = user
        self.journey = journey
        self.random = random
        self.sequence = sequence
        self.intendedStart = intendedStart
    }

    private enum Outcome { case passed, failed, incomplete }

    /// One pass through the journey: the steps left, the bot's last reply, how it is going.
    private struct Pass: Sendable {
        var stack: [ArraySlice<CompiledJourney.Node>] = []
        var lastReply: BotReply?
        var intended: C.Instant?
        var outcome = Outcome.passed
        var over = false
    }

    /// Runs the journey once: sends, thinks and branches until it ends, a turn fails, a fault degrades
    /// it on purpose, or the run stops (the journey then counts as incomplete). The user's pauses are
    /// taken here, in its task (the open model's conversations; the closed model's users take them in
    /// their lane, `ClosedModel`, as timer entries).
    mutating func walk() async {
        begin()
        while let pause = await resume() { await run.pause(pause, user: user.index) }
    }

    /// Starts a pass through the journey.
    mutating func begin() {
        run.recorder.record(user: user.index) { $0.journeysStarted += 1 }
        // The last pass's stack is emptied in place and kept: a pass a turn (a journey of one step) would
        // otherwise allocate one.
        pass.stack.removeAll(keepingCapacity: true)
        pass.stack.append(journey.nodes[...])
        pass = Pass(stack: pass.stack, intended: intendedStart)
    }

    /// Walks the pass on until the user pauses (returns for how long: the caller pauses, then resumes) or
    /// the pass is over (nil; its outcome is recorded). Once the run is stopping, or past its end with no
    /// open-model message still due, it sends nothing more and returns nil.
    mutating func resume() async -> Duration? {
        if !pass.over, let pause = await advance() { return pause }
        run.recorder.record(user: user.index) { [outcome = pass.outcome] m in
            switch outcome {
            case .passed: m.journeysSucceeded += 1
            case .incomplete: m.journeysIncomplete += 1
            case .failed: break
            }
        }
        return nil
    }

    /// Walks on until the user pauses (returns for how long) or the pass is over (nil).
    private mutating func advance() async -> Duration? {
        while !pass.over, var frame = pass.stack.popLast() {
            guard let node = frame.popFirst() else { continue }
            pass.stack.append(frame)
            let stopNow = run.stopping || (run.clock.now >= run.end && pass.intended == nil)
            switch node {
            case .send(let outgoing, let expect, let key):
                if stopNow {
                    pass.outcome = .incomplete
                    pass.over = true
                    return nil
                }
                let more = pass.stack.contains { !$0.isEmpty }
                let (result, think) = await send(outgoing, expect: expect, key: key, lastReply: pass.lastReply, intended: pass.intended,
                                                 more: more)
                pass.intended = nil  // later messages are sent when the user gets to them
                if let reply = result.reply { pass.lastReply = reply }
                if !result.passed { pass.outcome = .failed }
                // A failed turn ends the pass; so does a fault that degraded it on purpose (the rest of the
                // journey expects the healthy path). The user still thinks first.
                if !result.passed || result.injected { pass.over = true }
                if let think { return think }
            case .think(let lo, let hi):
                if !stopNow { return EngineRun<C>.draw(lo ... hi, using: &random) }
            case .branch(let matcher, let then, let otherwise):
                pass.stack.append((pass.lastReply.map(matcher.matches) == true ? then : otherwise)[...])
            }
        }
        return nil
    }

    /// One send step: the turn, a flood after it when chaos asks for one; and the user's pause after it.
    private mutating func send(
        _ outgoing: Outgoing, expect: Expectation?, key: StepKey, lastReply: BotReply?, intended: C.Instant?, more: Bool
    ) async -> (TurnResult, think: Duration?) {
        sequence += 1
        let sender = self.sender ?? MessageContent.sender(user, persona: journey.persona, workload: run.workload)
        self.sender = sender
        let turn = Turn(run: run, user: user, persona: journey.persona, sender: sender, key: key,
                        expect: run.workload.replies.awaitsReplies ? expect : nil, lastReply: lastReply, previous: lastSent,
                        sequence: sequence, intended: intended)
        let result = await turn.perform(outgoing, random: &random)
        if let sent = result.sent { lastSent = sent }
        if let messages = result.flood, !run.stopping {
            // network-issues:burst: flood the bot, then wait as long as it asked before writing again.
            await run.pause(await turn.flood(messages, sequence: &sequence), user: user.index)
        }
        // Think after each turn, failed or not (a person pauses before trying again; a failing target
        // must not turn users into a tight loop); in the open model not after a conversation's last turn.
        // (The workload's fields are read where used: a copy of it held across the awaits above would
        // retain and release every reference in it on each turn.)
        let thinkTime = run.workload.thinkTime
        if thinkTime.upperBound > .zero, intendedStart == nil || (more && result.passed && !result.injected) {
            return (result, EngineRun<C>.draw(thinkTime, using: &random))
        }
        return (result, nil)
    }
}

/// How a turn ended: passed, the reply if one came, and whether a fault hit it (which ends the journey:
/// the bot degraded on purpose, and later steps would expect the healthy path).
struct TurnResult: Sendable {
    var passed: Bool
    var reply: BotReply?
    var injected: Bool
    /// Traffic-side chaos: after this turn the user floods the bot with this many messages.
    var flood: Int? = nil
    /// The id of the user's message this turn sent (the last of a burst); nil when it sent none, or only
    /// changed an earlier one (a revoke or an edit).
    var sent: String? = nil
}
