extension ClosedModel {
    /// The lanes at home on one of the clock's threads, and the one task that wakes their users: it sleeps
    /// until the earliest pause of any of its lanes ends, hands each lane's due users to the lane's idle
    /// workers, and sleeps again.
    ///
    /// One wake-up serves every user due on the thread in that tick. When each lane woke its own users,
    /// at 50,000 users about every turn cost a wake-up of its own — a timer filed and fired, a stop signal
    /// made and forgotten, a task resumed — 15 % of the run's CPU.
    struct Home {
        let model: ClosedModel
        let home: Int
        let lanes: [Lane]

        /// Serves the lanes until each has closed (the run ended, was stopped, or their users are done).
        func drive() async {
            let run = model.run
            var open = lanes
            while !open.isEmpty {
                let early = StopSignal()
                let now = run.clock.now
                let over = run.stopping || now >= run.end
                var earliest: C.Instant?
                var backlog = false
                open = open.filter { lane in
                    switch lane.serve(now: now, over: over, early: early) {
                    case .closed:
                        return false
                    case .open(let next, let behind):
                        if let next { earliest = min(earliest ?? next, next) }
                        backlog = backlog || behind
                        return true
                    }
                }
                guard !open.isEmpty else { return }
                // Behind (users due that no worker was free for): a tick, for workers to come back. A user
                // that fell due while the lanes were served: at once.
                if !backlog, let earliest, earliest <= run.clock.now { continue }
                let wake = backlog ? run.clock.now.advanced(by: run.clock.minimumResolution) : min(earliest ?? run.end, run.end)
                let stopping = run.stop.onTrigger { early.trigger() }
                await early.sleep(until: wake, on: run.clock, home: home)
                if let stopping { run.stop.forget(stopping) }
            }
        }
    }
}
