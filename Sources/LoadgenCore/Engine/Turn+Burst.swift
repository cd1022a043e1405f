/// `Send.burst`: several messages typed back to back, and the rate-limit flood of `network-issues:burst`.
extension Turn {
    /// A burst: several messages posted back to back (reversed for a `reorder` share of bursts), one
    /// answer owed to each. Each message is a turn; the reply latency runs to the first answer.
    func burst(_ texts: [String], random: inout SeededRandom) async -> TurnResult {
        let w = workload
        let now = engine.unixTime()
        var messages = texts.enumerated().map { i, text in
            InboundMessage(id: Wamid.inbound(phone: user.phone, sequence: sequence ^ UInt64(i) << 56), timestamp: now, content: .text(text))
        }
        let reversed = random.nextFraction() < w.delivery.reorder
        let ids = messages.map(\.id)
        if reversed { messages.reverse() }
        let intended = self.intended ?? run.clock.now
        let sentAt = run.elapsed
        if expect != nil { engine.correlator.open(user: user.index, wamid: ids.last!, replies: texts.count, also: Array(ids.dropLast())) }
        var failure: ErrorClass?
        var acks: [AckSample] = []
        for message in messages where failure == nil {
            let body = WebhookEnvelope.render(message, from: sender, frame: w.envelope)
            let postedAt = run.clock.now
            let delivered = await engine.transport.deliverExplaining(body: body, signature: engine.signer.signature(for: body), user: user.index)
            failure = delivered.result.errorClass
            acks.append(AckSample(elapsed: postedAt.duration(to: run.clock.now), waited: delivered.waited))
        }
        var reply = TurnEvidence.Reply.notAwaited
        if let expect {
            if failure != nil { engine.correlator.abandon(user: user.index) } else {
                let deadline = intended.advanced(by: expect.within ?? w.replyTimeout)
                reply = switch await engine.correlator.waitForAll(user: user.index, until: deadline, on: run.clock) {
                case (.timedOut, _): .timedOut
                case (.unjudged, _): .unjudged
                case (.replied(let first, let at), let answers): .replied(first, latency: intended.duration(to: at), answers: answers)
                }
            }
        }
        // Upstream faults may hit any message of the burst: the burst is judged once, by all of them,
        // on all its answers (the answer to the message a fault hit need not come first).
        var hit: [FailurePattern] = []
        for id in ids { for p in engine.injector?.patterns(forTurn: id) ?? [] where !hit.contains(p) { hit.append(p) } }
        var result = judge(failure: failure, reply: reply, hit: hit, acks: acks, sentAt: sentAt, turns: UInt64(texts.count), reordered: reversed)
        result.sent = ids.last  // the last one typed, whatever order Meta delivered them in
        return result
    }

    /// Traffic-side chaos, `network-issues:burst`: sends `messages` messages back to back, judges how the
    /// bot limited them (`FloodJudgement`), counts the verdict under network-issues, and returns how long
    /// the bot asked the user to wait (the longest `Retry-After`).
    func flood(_ messages: Int, sequence: inout UInt64) async -> Duration {
        let w = workload
        let ids = (1...messages).map { Wamid.inbound(phone: user.phone, sequence: sequence &+ UInt64($0)) }
        sequence &+= UInt64(messages)
        let started = run.clock.now
        // Every message the bot accepts is owed an answer; the wait is adjusted once the acks are in.
        if w.replies.awaitsReplies {
            engine.correlator.open(user: user.index, wamid: ids.last!, replies: messages, also: Array(ids.dropLast()))
        }
        var acks: [FloodJudgement.Ack] = []
        var firstLimited: Duration?
        for id in ids where !run.stopping {
            let body = WebhookEnvelope.render(InboundMessage(id: id, timestamp: engine.unixTime(), content: .text("hello?")), from: sender,
                                              frame: w.envelope)
            let (result, retryAfter) = await engine.transport.deliverReportingRetryAfter(
                body: body, signature: engine.signer.signature(for: body), user: user.index)
            if result == .status(429), firstLimited == nil { firstLimited = started.duration(to: run.clock.now) }
            acks.append(FloodJudgement.Ack(result, retryAfter: retryAfter))
        }
        let accepted = acks.filter { $0.result == .status(200) }.count
        var answered = !w.replies.awaitsReplies
        if w.replies.awaitsReplies {
            if accepted > 0 {
                engine.correlator.owe(user: user.index, replies: accepted)
                let outcome = await engine.correlator.wait(user: user.index, until: started.advanced(by: w.replyTimeout), on: run.clock)
                if case .replied = outcome { answered = true }
            } else {
                engine.correlator.abandon(user: user.index)
            }
        }
        let verdict = FloodJudgement.judge(acks, answered: answered)
        run.recorder.record(user: user.index) { m in
            m.patterns[.networkIssues, default: PatternStats()].count(verdict.outcome, latency: firstLimited)  // how fast the limit engaged
            m.burstMessages += UInt64(acks.count)
            m.burstLimited += UInt64(acks.count - accepted)
        }
        return FloodJudgement.backOff(acks)
    }
}
