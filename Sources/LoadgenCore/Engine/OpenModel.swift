import Synchronization

/// The open model: whole conversations arrive on a schedule whatever the bot does. Each is launched at
/// its intended time, or as soon after as the generator gets to it, and stamped with the intended time
/// (coordinated omission); arrivals beyond the in-flight cap (the identity pool's size) are dropped and counted, never hidden.
struct OpenModel<C: Clock<Duration>>: Sendable {
    let run: EngineRun<C>
    let schedule: ArrivalSchedule

    func run() async {
        let identities = IdentityPool(count: run.workload.users.count)
        await withDiscardingTaskGroup { group in
            var n = 0
            while !run.stopping, let offset = schedule.intendedTime(ofArrival: n) {
                let intended = run.start.advanced(by: offset)
                if run.clock.now < intended {
                    await run.stop.sleep(until: intended, on: run.clock)
                    if run.stopping { break }
                }
                let arrival = n
                n += 1
                guard let index = identities.take() else {
                    run.recorder.record(user: arrival) { m in
                        m.arrivalsPlanned += 1
                        m.arrivalsDropped += 1
                    }
                    continue
                }
                countLaunch(intended: intended, identity: index)
                group.addTask {
                    run.recorder.countActive(user: index, 1)
                    defer {
                        run.recorder.countActive(user: index, -1)
                        identities.give(index)
                    }
                    await converse(arrival: arrival, identity: index, intended: intended)
                }
            }
        }
    }

    private func countLaunch(intended: C.Instant, identity index: Int) {
        let lag = intended.duration(to: run.clock.now)
        run.recorder.record(user: index) { m in
            m.arrivalsPlanned += 1
            m.arrivalsLaunched += 1
            if lag > .milliseconds(10) { m.arrivalsLate += 1 }
            m.launchLag.record(lag)
        }
    }

    /// One conversation: arrival `arrival`'s persona, spoken by identity `index`, from its intended time.
    private func converse(arrival: Int, identity index: Int, intended: C.Instant) async {
        let w = run.workload
        var journey = JourneyRun(run: run, user: w.users[index], journey: run.journey(forUser: arrival),
                                 random: SeededRandom(seed: w.seed, stream: 0x0BE7_0000_0000 &+ UInt64(arrival)),
                                 sequence: (UInt64(arrival) << 8) &+ w.wamidSalt, intendedStart: intended)
        await journey.walk()
    }
}

/// The user identities free for a new open-model conversation: one conversation per identity at a time,
/// so replies correlate unambiguously, and least recently used first, so no simulated person writes far
/// more often than the others (and trips the bot's per-user rate limit).
///
/// Shared on purpose: owned by one `OpenModel` run; the launcher takes identities, and each finishing
/// conversation (its own child task) gives its identity back.
final class IdentityPool: Sendable {
    private struct Queue {
        var items: [Int]
        var head = 0
    }
    private let free: Mutex<Queue>

    init(count: Int) { free = Mutex(Queue(items: Array(0..<count))) }

    func take() -> Int? {
        free.withLock { q in
            guard q.head < q.items.count else { return nil }
            defer {
                q.head += 1
                if q.head > 1024, q.head * 2 > q.items.count {
                    q.items.removeFirst(q.head)
                    q.head = 0
                }
            }
            return q.items[q.head]
        }
    }

    func give(_ index: Int) { free.withLock { $0.items.append(index) } }
}
