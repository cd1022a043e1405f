/// One user's pass through its journey, and what it carries from turn to turn: its random stream and
/// message sequence (which outlive a pass in the closed model), the bot's last reply, and — in the open
/// model — when the conversation's first message was due.
struct JourneyRun<C: EngineClock>: Sendable {
    let run: EngineRun<C>
    let user: SimulatedUser
    let journey: CompiledJourney
    var random: SeededRandom
    var sequence: UInt64
    let intendedStart: C.Instant?

    private enum Outcome { case passed, failed, incomplete }

    /// Runs the journey once: sends, thinks and branches until it ends, a turn fails, a fault degrades
    /// it on purpose, or the run stops (the journey then counts as incomplete).
    mutating func walk() async {
        run.recorder.record(user: user.index) { $0.journeysStarted += 1 }
        var outcome = Outcome.passed
        var lastReply: BotReply?
        var intended = intendedStart
        var stack: [ArraySlice<CompiledJourney.Node>] = [journey.nodes[...]]
        walk: while var frame = stack.popLast() {
            guard let node = frame.popFirst() else { continue }
            stack.append(frame)
            let stopNow = run.stopping || (run.clock.now >= run.end && intended == nil)
            switch node {
            case .send(let outgoing, let expect, let key):
                if stopNow { outcome = .incomplete; break walk }
                let more = stack.contains { !$0.isEmpty }
                let result = await send(outgoing, expect: expect, key: key, lastReply: lastReply, intended: intended, more: more)
                intended = nil  // later messages are sent when the user gets to them
                if let reply = result.reply { lastReply = reply }
                if !result.passed { outcome = .failed; break walk }
                if result.injected { break walk }  // degraded on purpose: the rest of the journey expects the healthy path
            case .think(let lo, let hi):
                if !stopNow { await run.pause(EngineRun<C>.draw(lo ... hi, using: &random), user: user.index) }
            case .branch(let matcher, let then, let otherwise):
                stack.append((lastReply.map(matcher.matches) == true ? then : otherwise)[...])
            }
        }
        run.recorder.record(user: user.index) { [outcome] m in
            switch outcome {
            case .passed: m.journeysSucceeded += 1
            case .incomplete: m.journeysIncomplete += 1
            case .failed: break
            }
        }
    }

    /// One send step: the turn, a flood after it when chaos asks for one, then the user's pause.
    private mutating func send(
        _ outgoing: Outgoing, expect: Expectation?, key: StepKey, lastReply: BotReply?, intended: C.Instant?, more: Bool
    ) async -> TurnResult {
        let w = run.workload
        sequence += 1
        let turn = Turn(run: run, user: user, persona: journey.persona, key: key, expect: w.replies.awaitsReplies ? expect : nil,
                        lastReply: lastReply, sequence: sequence, intended: intended)
        let result = await turn.perform(outgoing, random: &random)
        if let messages = result.flood, !run.stopping {
            // network-issues:burst: flood the bot, then wait as long as it asked before writing again.
            await run.pause(await turn.flood(messages, sequence: &sequence), user: user.index)
        }
        // Think after each turn, failed or not (a person pauses before trying again; a failing target
        // must not turn users into a tight loop); in the open model not after a conversation's last turn.
        if w.thinkTime.upperBound > .zero, intendedStart == nil || (more && result.passed && !result.injected) {
            await run.pause(EngineRun<C>.draw(w.thinkTime, using: &random), user: user.index)
        }
        return result
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
}
