/// The open model: whole conversations arrive on a schedule whatever the bot does. Each is launched at
/// its intended time, or as soon after as the generator gets to it, and stamped with the intended time
/// (coordinated omission); arrivals that find every identity busy (the in-flight cap) are dropped and
/// counted, never hidden.
///
/// The launcher owns the free identities: each conversation is a child task that returns its identity
/// when it ends, and a timer child wakes the launcher for the next arrival, so nothing is shared.
struct OpenModel<C: EngineClock>: Sendable {
    let run: EngineRun<C>
    let schedule: ArrivalSchedule

    func run() async {
        // One conversation per identity at a time, so replies correlate unambiguously; least recently used
        // first, so no simulated person writes far more often than the others (and trips a rate limit).
        var free = FreeIdentities(count: run.workload.users.count)
        await withTaskGroup(of: Int?.self) { group in  // a conversation returns its identity, the timer nil
            var n = 0
            var timer = false
            while true {
                while !run.stopping, let intended = due(n), intended <= run.clock.now {
                    if let identity = free.take() {
                        countLaunch(intended: intended, identity: identity)
                        group.addTask { [n] in await converse(arrival: n, identity: identity, intended: intended) }
                    } else {
                        run.recorder.record(user: n) { m in
                            m.arrivalsPlanned += 1
                            m.arrivalsDropped += 1
                        }
                    }
                    n += 1
                }
                if !run.stopping, !timer, let intended = due(n) {
                    timer = true
                    group.addTask { await run.stop.sleep(until: intended, on: run.clock); return nil }
                }
                guard let finished = await group.next() else { break }  // every conversation is over
                if let identity = finished { free.give(identity) } else { timer = false }
            }
        }
    }

    /// When arrival `n` is due; nil past the schedule.
    private func due(_ n: Int) -> C.Instant? { schedule.intendedTime(ofArrival: n).map { run.start.advanced(by: $0) } }

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
    /// Returns the identity, free again.
    private func converse(arrival: Int, identity index: Int, intended: C.Instant) async -> Int? {
        let w = run.workload
        run.recorder.countActive(user: index, 1)
        defer { run.recorder.countActive(user: index, -1) }
        var journey = JourneyRun(run: run, user: w.users[index], journey: run.journey(forUser: arrival),
                                 random: SeededRandom(seed: w.seed, stream: 0x0BE7_0000_0000 &+ UInt64(arrival)),
                                 sequence: (UInt64(arrival) << 8) &+ w.wamidSalt, intendedStart: intended)
        await journey.walk()
        return index
    }
}

/// The identities free for a new conversation, in the order they were freed (a FIFO).
struct FreeIdentities {
    private var items: [Int]
    private var head = 0

    init(count: Int) { items = Array(0..<count) }

    mutating func take() -> Int? {
        guard head < items.count else { return nil }
        defer {
            head += 1
            if head > 1024, head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
        }
        return items[head]
    }

    mutating func give(_ index: Int) { items.append(index) }
}
