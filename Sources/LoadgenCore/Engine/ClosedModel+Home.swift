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

        /// A lane, when its next user is due as it last said (nil: none thinks), and whether it closed.
        private struct Open {
            let lane: Lane
            var next: C.Instant?
            var closed = false
        }

        /// Serves the lanes until each has closed (the run ended, was stopped, or their users are done).
        ///
        /// Every lane is served when the home's alarm is new: each holds the alarm to ring when a user
        /// is filed due before the lane's next. While the alarm has not rung, only the lanes whose next
        /// user is due are served (the others' next can only come sooner by ringing it): at 100,000 users
        /// a thread has about 50 lanes, and serving them all on every round, most rounds for one due
        /// user, took three lane locks a turn.
        func drive() async {
            let run = model.run
            var open = lanes.map { Open(lane: $0) }
            var early = StopSignal()
            var first = true
            while !open.isEmpty {
                let now = run.clock.now
                let over = run.stopping || now >= run.end
                let rang = early.isTriggered
                if rang { early = StopSignal() }
                let backlog = serve(&open, all: first || rang || over, now: now, over: over, early: early)
                guard !open.isEmpty else { return }
                first = false
                let earliest = open.lazy.compactMap(\.next).min()
                // Behind (users due that no worker was free for): a tick, for workers to come back. A user
                // that fell due while the lanes were served: at once.
                if !backlog, let earliest, earliest <= run.clock.now { continue }
                let wake = backlog ? run.clock.now.advanced(by: run.clock.minimumResolution) : min(earliest ?? run.end, run.end)
                let stopping = run.stop.onTrigger { [early] in early.trigger() }
                await early.sleep(until: wake, on: run.clock, home: home)
                if let stopping { run.stop.forget(stopping) }
            }
        }

        /// Serves every open lane (`all`), or those whose next user is due by `now`; drops the lanes that
        /// closed; returns whether a lane has users due that no worker was free for.
        private func serve(_ open: inout [Open], all: Bool, now: C.Instant, over: Bool, early: StopSignal) -> Bool {
            var backlog = false
            var closed = false
            for i in open.indices where all || open[i].next.map({ $0 <= now }) == true {
                switch open[i].lane.serve(now: now, over: over, early: early) {
                case .closed:
                    open[i].closed = true
                    closed = true
                case .open(let next, let behind):
                    open[i].next = next
                    backlog = backlog || behind
                }
            }
            if closed { open.removeAll(where: \.closed) }
            return backlog
        }
    }
}
