/// Traffic-side chaos, `network-issues:burst`: a user floods the bot past its rate limit.
extension Engine {
    /// Sends `messages` messages from `user` back to back, judges how the bot limited them
    /// (`FloodJudgement`), counts the verdict under network-issues, and returns how long the bot asked
    /// the user to wait (the longest `Retry-After`).
    func flood(
        _ messages: Int, user: SimulatedUser, persona: Persona, sequence: inout UInt64, plan: RunPlan, recorder: ShardedRecorder
    ) async -> Duration {
        let ids = (1...messages).map { Wamid.inbound(phone: user.phone, sequence: sequence &+ UInt64($0)) }
        sequence &+= UInt64(messages)
        let started = clock.now
        // Every message the bot accepts is owed an answer; the wait is adjusted once the acks are in.
        if plan.awaitReplies {
            correlator.open(user: user.index, wamid: ids.last!, deadline: started.advanced(by: plan.replyTimeout), replies: messages,
                            also: Array(ids.dropLast()))
        }
        var acks: [FloodJudgement.Ack] = []
        var firstLimited: Duration?
        for id in ids where !Task.isCancelled {
            let item = Self.item(InboundMessage(id: id, timestamp: unixTime(), content: .text("hello?")), from: user, persona: persona,
                                 plan: plan)
            let body = WebhookEnvelope.render(batch: [item], business: plan.business)
            let (result, retryAfter) = await transport.deliverReportingRetryAfter(body: body, signature: signer.signature(for: body),
                                                                                  user: user.index)
            if result == .status(429), firstLimited == nil { firstLimited = started.duration(to: clock.now) }
            acks.append(FloodJudgement.Ack(result, retryAfter: retryAfter))
        }
        let accepted = acks.filter { $0.result == .status(200) }.count
        var answered = !plan.awaitReplies
        if plan.awaitReplies {
            if accepted > 0 {
                correlator.owe(user: user.index, replies: accepted)
                if case .replied = await correlator.wait(user: user.index) { answered = true }
            } else {
                correlator.abandon(user: user.index)
            }
        }
        let verdict = FloodJudgement.judge(acks, answered: answered)
        recorder.record(user: user.index) { m in
            var stats = m.patterns[.networkIssues, default: PatternStats()]
            stats.injected += 1
            switch verdict {
            case .graceful:
                stats.graceful += 1
                if let firstLimited { stats.activation.record(firstLimited) }  // how fast the limit engaged
            case .wrong: stats.wrong += 1
            case .silent: stats.silent += 1
            case .errored: stats.errored += 1
            }
            m.patterns[.networkIssues] = stats
            m.burstMessages += UInt64(acks.count)
            m.burstLimited += UInt64(acks.count - accepted)
        }
        return FloodJudgement.backOff(acks)
    }
}
