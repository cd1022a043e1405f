/// One user's pass through its journey, and what it carries from turn to turn: its random stream and
/// message sequence (which outlive a pass in the closed model), the bot's last reply, and — in the open
/// model — when the conversation's first message was due.
struct JourneyRun<C: EngineClock>: Sendable {
    let run: EngineRun<C>
    let user: SimulatedUser
    let journey: CompiledJourney
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
    /// it on purpose, or the run stops (the journey then counts as incomplete).
    ///
    /// When the user pauses, the stretch between two pauses runs in a task of its own and the pauses are
    /// taken here: the runtime keeps a task's deepest stack (the turn, the HTTP exchange, the wait for
    /// the reply) until the task ends, so a user that took its turns in its own task held 5 KB of it
    /// while thinking. A user that never pauses is never idle, and a task per stretch (~5 µs: the task
    /// and the slabs of its stack) would only cost it: it walks in its own task.
    mutating func walk() async {
        run.recorder.record(user: user.index) { $0.journeysStarted += 1 }
        pass = Pass(stack: [journey.nodes[...]], intended: intendedStart)
        let pauses = run.workload.thinkTime.upperBound > .zero || journey.thinks
        while let pause = pauses ? await advanceInATaskOfItsOwn() : await advance() {
            await run.pause(pause, user: user.index)
            if pass.over { break }
        }
        run.recorder.record(user: user.index) { [outcome = pass.outcome] m in
            switch outcome {
            case .passed: m.journeysSucceeded += 1
            case .incomplete: m.journeysIncomplete += 1
            case .failed: break
            }
        }
    }

    private mutating func advanceInATaskOfItsOwn() async -> Duration? {
        let stretch = Stretch(self)
        await withDiscardingTaskGroup { group in
            group.addTask { await stretch.walk() }
        }
        self = stretch.journey
        return stretch.pause
    }

    /// The journey handed to the task that walks its next stretch, and back: the task alone touches it
    /// until its group ends, and the user reads it only after (a discarding group frees the task as soon
    /// as it ends; the user's own frames hold one reference, not copies of the journey).
    private final class Stretch: @unchecked Sendable {
        var journey: JourneyRun
        var pause: Duration?
        init(_ journey: JourneyRun) { self.journey = journey }
        func walk() async { pause = await journey.advance() }
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
        let w = run.workload
        sequence += 1
        let turn = Turn(run: run, user: user, persona: journey.persona, key: key, expect: w.replies.awaitsReplies ? expect : nil,
                        lastReply: lastReply, previous: lastSent, sequence: sequence, intended: intended)
        let result = await turn.perform(outgoing, random: &random)
        if let sent = result.sent { lastSent = sent }
        if let messages = result.flood, !run.stopping {
            // network-issues:burst: flood the bot, then wait as long as it asked before writing again.
            await run.pause(await turn.flood(messages, sequence: &sequence), user: user.index)
        }
        // Think after each turn, failed or not (a person pauses before trying again; a failing target
        // must not turn users into a tight loop); in the open model not after a conversation's last turn.
        if w.thinkTime.upperBound > .zero, intendedStart == nil || (more && result.passed && !result.injected) {
            return (result, EngineRun<C>.draw(w.thinkTime, using: &random))
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
