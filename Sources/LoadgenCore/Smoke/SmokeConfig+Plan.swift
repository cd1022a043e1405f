extension SmokeConfig {
    /// The plan: the test numbers as users (those inside the rollout first), the caps checked with the real
    /// user count, every delivery tagged with the run id.
    public func validated() throws(ConfigError) -> SmokePlan {
        try checkFlags()
        let available = testNumbers?.digits ?? (0..<(users ?? min(5, caps.maxUsers))).map { SimulatedUser(index: $0, seed: seed).phone }
        let count = users ?? min(available.count, 5)
        guard count <= available.count else {
            throw ConfigError("--users \(count) needs \(count) test numbers; \(testNumbersFile ?? "the list") has \(available.count)")
        }
        var notices: [String] = []
        let selection = rolloutPercent.map { RolloutSelection(numbers: available, percent: $0) }
        if let selection {
            for e in selection.entries {
                notices.append("rollout \(selection.percent) %: +\(e.number) bucket \(e.bucket) — \(e.inside ? "inside" : "outside")")
            }
            if selection.inside.isEmpty { notices.append("WARNING: no test number is inside the \(selection.percent) % rollout; the rollout check will fail") }
        }
        let population = (selection?.preferredOrder ?? available).prefix(count).enumerated().map { i, phone in
            SimulatedUser(index: i, phone: phone, profileName: Self.profileName, bsuid: "RW.\(RolloutBucket.bucket(of: phone))\(i)")
        }
        let overridden: [String]
        do { overridden = try caps.check(request(users: count), env: env, override: overrideProdCaps) } catch { throw ConfigError(error.description) }
        for violation in overridden { notices.append("WARNING: --override-prod-caps: \(violation) — this smoke test exceeds the \(env) caps") }
        let runID = "smoke-" + String(wamidSalt >> 42, radix: 16)
        notices.append("smoke run \(runID) (--env \(env)): every delivery carries \(Self.tagHeader): \(runID) and profile name \(Self.profileName)")
        // Every check must pass; in production the rollback tripwires watch the load whatever was asked.
        var sets = criteria.sets + [CriteriaSet(name: "smoke", criteria: [Criterion(.checksFailed, .atMost, 0)])]
        if env == .prod, !sets.contains(where: { $0.onFailure == .rollback }), let rollback = CriteriaSet.presets.first(where: { $0.name == "rollback" }) {
            sets.append(rollback)
        }
        let workload = Workload(
            scenario: scenario, model: .closed(journeysPerUser: nil), users: population, duration: duration, thinkTime: thinkTime,
            replyTimeout: replyTimeout, replies: replies, seed: seed, business: business, includeBSUID: false,
            chaos: chaos ?? scenario.chaos, wamidSalt: wamidSalt, tripwire: Tripwire(sets: sets, repliesMeasured: replies.awaitsReplies))
        let run = RunPlan(
            workload: workload, target: target, criteria: sets, criteriaText: criteria.text, graphListen: graphListen, targetCA: targetCA,
            connections: max(2, population.count), ackTimeout: ackTimeout, statusCallbacks: false,
            embeddedBot: EmbeddedBotOptions(verifiesSignatures: botVerifiesSignatures), deliveryHeaders: [Self.tagHeader: runID],
            report: report, graphProxy: try graphProxy?.validated())
        let section = SmokeReport(
            env: env, runID: runID, tagHeader: Self.tagHeader, profileName: Self.profileName, testNumbers: population.map(\.phone),
            rollout: selection.map { SmokeReport.Rollout(percent: $0.percent, numbers: $0.entries) }, capsOverridden: overridden)
        return SmokePlan(run: run, healthURLs: health, rollout: selection, stopOnFailure: env == .prod, report: section, notices: notices)
    }
}
