extension Report {
    /// Builds the report from a run's results and its evaluation.
    public init(run: RunInfo, metrics m: RunMetrics, correlation: CorrelationCounters, evaluation: Evaluation,
                checks: [ScriptedCheck], partial: Bool, chaos: ChaosPlan = ChaosPlan(), timeline: Timeline? = nil,
                untraced: [FailurePattern: UInt64] = [:]) {
        verdict = evaluation.verdict
        self.partial = partial
        tripped = evaluation.tripped
        self.run = run
        totals = Totals(
            turns: m.turns, errors: m.errorTurns, errorRate: m.errorRate, replies: m.replies,
            fallbackReplies: m.fallbackReplies, fallbackRate: m.fallbackRate, journeys: m.journeysStarted,
            journeysSucceeded: m.journeysSucceeded, journeysIncomplete: m.journeysIncomplete,
            successRate: m.successRate,
            throughput: run.elapsedSeconds > 0 ? (Double(m.turns) / run.elapsedSeconds * 100).rounded() / 100 : 0)
        latency = Latencies(ack: Percentiles(m.ack), reply: Percentiles(m.reply),
                            distribution: Distribution(ack: m.ack.distribution, reply: m.reply.distribution),
                            wake: m.wakeLag.map(Percentiles.init), answerWait: m.answerWait.map(Percentiles.init))
        errorsByClass = Dictionary(uniqueKeysWithValues: m.errorsByClass.map { ($0.0.rawValue, $0.1) })
        errorSamples = m.errorSamples.flatMap { $0.byClass.isEmpty ? nil : $0.byClass }
        replies = correlation
        criteria = evaluation.checks
        self.checks = checks
        delivery = Delivery(duplicatesSent: m.duplicatesSent, redeliveries: m.redeliveries, batches: m.batchesSent,
                            reordered: m.reordered, statusCallbacks: nil, burstMessages: m.burstMessages > 0 ? m.burstMessages : nil,
                            burstLimited: m.burstMessages > 0 ? m.burstLimited : nil)
        arrivals = run.model == .open ? Arrivals(planned: m.arrivalsPlanned, launched: m.arrivalsLaunched,
                                                  dropped: m.arrivalsDropped, late: m.arrivalsLate, lag: Percentiles(m.launchLag)) : nil
        patterns = FailurePattern.allCases.compactMap { p in
            let stats = m.patterns[p] ?? PatternStats()
            guard stats.injected > 0 || untraced[p, default: 0] > 0 else { return nil }
            let recovery = chaos.faults.indices.filter { chaos.faults[$0].pattern == p }.compactMap { m.recoveredAt[$0] }.min()
            return PatternReport(pattern: p.rawValue, injected: stats.injected, graceful: stats.graceful, absorbed: stats.absorbed, wrong: stats.wrong,
                                 silent: stats.silent, errored: stats.errored, gracefulRate: stats.gracefulRate,
                                 activation: Percentiles(stats.activation),
                                 recoverySeconds: recovery.map(\.inSeconds), untraced: untraced[p].flatMap { $0 > 0 ? $0 : nil })
        }
        let phaseSeconds = chaos.phaseDurations(upTo: .nanoseconds(Int64(run.elapsedSeconds * 1e9)))
        phases = Dictionary(uniqueKeysWithValues: m.phases.map { phase, s in
            let seconds = phaseSeconds[phase]?.inSeconds
            return (phase.rawValue, PhaseReport(
                turns: s.turns, errors: s.errors, errorRate: s.turns == 0 ? 0 : Double(s.errors) / Double(s.turns),
                errorsByClass: s.errorsByClass, seconds: seconds.map { ($0 * 1000).rounded() / 1000 },
                throughput: seconds.flatMap { $0 > 0 ? (Double(s.turns) / $0 * 100).rounded() / 100 : nil },
                fallbacks: s.fallbacks, ack: Percentiles(s.ack), reply: Percentiles(s.reply)))
        })
        let keys = m.steps.keys.sorted()
        steps = keys.map { Breakdown(persona: $0.persona, step: $0.step, stats: m.steps[$0]!) }
        var byPersona: [String: StepStats] = [:]
        for key in keys { byPersona[key.persona, default: StepStats()].merge(m.steps[key]!) }
        personas = byPersona.keys.sorted().map { Breakdown(persona: $0, step: nil, stats: byPersona[$0]!) }
        self.timeline = timeline
        chaosWindows = chaos.faults.map(ChaosWindow.init)
        metrics = m
    }
}
