/// The closed model: a fixed set of users, each repeating its journey, with think time, until the run ends.
struct ClosedModel<C: EngineClock>: Sendable {
    let run: EngineRun<C>
    /// A bound on journeys per user (tests, smoke runs); nil = until the duration ends.
    let journeysPerUser: Int?

    /// The most users one task group holds. The runtime keeps a group's children in a list that each
    /// finishing child is unlinked from by a walk: with 100,000 users in one group, the users ending at
    /// the end of the run took over a minute of CPU between them (quadratic). In groups of this size the
    /// walk is short.
    static var usersPerGroup: Int { 256 }

    func run() async {
        let users = run.workload.users
        await withDiscardingTaskGroup { groups in
            for start in stride(from: 0, to: users.count, by: Self.usersPerGroup) {
                let chunk = users[start ..< min(start + Self.usersPerGroup, users.count)]
                groups.addTask {
                    await withDiscardingTaskGroup { group in
                        for user in chunk { group.addTask { await simulate(user) } }
                    }
                }
            }
        }
    }

    /// One user repeating its journey until the run ends.
    private func simulate(_ user: SimulatedUser) async {
        let w = run.workload
        run.recorder.countActive(user: user.index, 1)
        defer { run.recorder.countActive(user: user.index, -1) }
        var journey = JourneyRun(run: run, user: user, journey: run.journey(forUser: user.index),
                                 random: SeededRandom(seed: w.seed, stream: UInt64(user.index)),
                                 sequence: (UInt64(user.index) << 24) &+ w.wamidSalt, intendedStart: nil)
        // Spread the first turns over one mean think time, so users do not all fire at t = 0.
        let meanThink = (w.thinkTime.lowerBound + w.thinkTime.upperBound) / 2
        if meanThink > .zero { await run.pause(EngineRun<C>.draw(.zero ... meanThink, using: &journey.random), user: user.index, measured: false) }
        var journeys = 0
        while !run.stopping, run.clock.now < run.end, journeys < (journeysPerUser ?? .max) {
            journeys += 1
            await journey.walk()
        }
    }
}
