import Synchronization
import Wire

extension ClosedModel {
    /// A share of the users, all at home on one of the clock's threads: its thinking users in a heap by when
    /// their pause ends, its idle workers, and its home's alarm.
    ///
    /// Shared on purpose: its home, its driver and its workers are tasks of their own; every hand-over goes
    /// through the lock. The home hands due users to idle workers, and to the driver to make workers for
    /// when none is idle; a worker files its user back and, when that user is due before the home would
    /// wake for the lane, rings the home's alarm early. A worker walks the users of any lane of its home
    /// (`Board`), each filed back in its own.
    final class Lane: Sendable {
        let model: ClosedModel
        let home: Int
        /// Where the lane is among its home's lanes: when it makes its users, and its place on the board.
        let order: Int
        private let indices: ArraySlice<Int>
        /// Its home's lanes' next users, where its workers find the most overdue.
        private let board: Board
        private let state: Mutex<State>

        init(model: ClosedModel, home: Int, order: Int, users indices: ArraySlice<Int>, board: Board) {
            self.model = model
            self.home = home
            self.order = order
            self.indices = indices
            self.board = board
            state = Mutex(State(origin: model.run.start, order: order, board: board))
        }

        /// What the driver does next.
        private enum Step {
            /// Make a worker for each of these users.
            case make([ClosedUser<C>])
            /// Wait for users to make workers for, or for the lane to close.
            case park
            /// The run is over for the lane: release the idle workers, end the passes of the thinking users.
            case close(thinking: [ClosedUser<C>], idle: [Worker])
        }

        /// Makes the lane's users and the workers its home asks for, and returns when their workers have
        /// ended (the lane closed).
        func drive() async {
            let run = model.run
            // Made at home, a lane every other tick, staggered from when they are made: all of a thread's lanes
            // made at once kept it busy 40 ms at 100,000 users while their first users fell due, then burst.
            if run.clock.homes > 1 {
                await run.stop.sleep(until: run.clock.now.advanced(by: run.clock.minimumResolution * (1 + 2 * order)), on: run.clock, home: home)
            }
            let made = indices.map { model.user($0) }
            let start = run.clock.now
            for (slot, (user, first)) in made.enumerated() {
                user.due = start.advanced(by: first)
                user.slot = slot
                user.lane = self
            }
            let users = made.map(\.0)
            for user in users { run.recorder.countActive(user: user.index, 1) }
            let ring = state.withLock { s in
                s.users = users
                for user in users { s.file(user) }
                s.remaining = users.count
                s.started = true
                return s.nextDue.flatMap { s.alarmToRing(for: $0) }
            }
            ring?.trigger()
            await withDiscardingTaskGroup { workers in
                while true {
                    switch next() {
                    case .make(let due):
                        for user in due { workers.addTask { await self.work(user) } }
                    case .park:
                        await park()
                    case .close(let thinking, let idle):
                        for worker in idle { worker.resume(returning: nil) }
                        for user in thinking {
                            if user.walking { _ = await user.journey.resume() }  // ends the pass: nothing is sent now
                            done(user)
                        }
                        return
                    }
                }
            }
        }

        private func next() -> Step {
            let stopping = model.run.stopping
            return state.withLock { s in
                if stopping, !s.closed { _ = s.close() }
                if s.closed {
                    defer { (s.idle, s.unstaffed) = ([], []) }
                    return .close(thinking: s.heap.removeAll().map { s.users[$0.slot] } + s.unstaffed, idle: s.idle)
                }
                guard s.unstaffed.isEmpty else {
                    defer { s.unstaffed = [] }
                    return .make(s.unstaffed)
                }
                return .park
            }
        }

        /// What serving a lane came to.
        enum Served {
            /// When its next user is due (nil: none thinks), and whether users are due that no worker was
            /// free for.
            case open(next: C.Instant?, behind: Bool)
            case closed
        }

        /// The home's turn: hands the users due by `now` to idle workers, and to the driver to make workers
        /// for when none is idle (at most `workersMadePerStep` at once; the rest wait for a worker to come
        /// back or for the next turn); closes the lane when the run is `over` or its users are done; and
        /// leaves `early` for a worker to ring when it files a user due before the lane's next.
        func serve(now: C.Instant, over: Bool, early: StopSignal) -> Served {
            let (handed, driver, served) = state.withLock { s -> ([(Worker, ClosedUser<C>)], CheckedContinuation<Void, Never>?, Served) in
                if s.closed { return ([], nil, .closed) }
                if over || (s.started && s.remaining == 0) { return ([], s.close(), .closed) }
                var handed: [(Worker, ClosedUser<C>)] = []
                while !s.idle.isEmpty || s.unstaffed.count < ClosedModel.workersMadePerStep, let user = s.popDue(by: now) {
                    if let worker = s.idle.popLast() { handed.append((worker, user)) } else { s.unstaffed.append(user) }
                }
                let next = s.nextDue
                s.alarm = (at: next, early: early)
                let driver = s.unstaffed.isEmpty ? nil : s.parked
                if driver != nil { s.parked = nil }
                return (handed, driver, .open(next: next, behind: next.map { $0 <= now } ?? false))  // due, and no worker for it
            }
            for (worker, user) in handed { worker.resume(returning: user) }
            driver?.resume()
            return served
        }

        /// Waits until there are users to make workers for, the lane closes, or the run stops or is
        /// cancelled.
        private func park() async {
            let run = model.run
            await withTaskCancellationHandler {
                await withCheckedContinuation { (parked: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { s in
                        if !s.unstaffed.isEmpty || s.closed || run.stopping { return true }
                        s.parked = parked
                        return false
                    }
                    if now { parked.resume() }
                }
            } onCancel: {
                wakeDriver()
            }
        }

        /// Wakes the driver and rings the home's alarm: the lane is closing or the run stopping.
        private func wakeDriver() {
            let (parked, alarm) = state.withLock { s in
                defer { (s.parked, s.alarm) = (nil, nil) }
                return (s.parked, s.alarm?.early)
            }
            parked?.resume()
            alarm?.trigger()
        }

        /// A worker: walks the users it is handed, or takes the one due longest in any lane of its home
        /// (`Board`), until the lane closes or enough others wait. It walks a user in the user's lane, where
        /// the user is filed back.
        private func work(_ first: ClosedUser<C>) async {
            var next: ClosedUser<C>? = first
            while let user = next {
                await user.lane!.walk(user)
                let now = model.run.clock.now
                if let overdue = board.takeOverdue(by: model.run.start.duration(to: now)) {
                    next = overdue
                    continue
                }
                next = await withUnsafeContinuation { (worker: Worker) in
                    let (waits, due) = state.withLock { s -> (Bool, ClosedUser<C>?) in
                        if !s.closed, let due = s.popDue(by: now) { return (false, due) }  // one is due already: no need to wait
                        guard !s.closed, s.idle.count < ClosedModel.idleWorkersKept else { return (false, nil) }
                        s.idle.append(worker)
                        return (true, nil)
                    }
                    if !waits { worker.resume(returning: due) }
                }
            }
        }

        /// The first thinking user when it is due by `now` (from the run's start), taken off the heap; nil
        /// when none is, or the lane closed.
        func take(by now: Duration) -> ClosedUser<C>? {
            state.withLock { s in s.closed ? nil : s.popDue(by: now) }
        }

        /// Walks `user` (one of this lane's) on until it pauses (and is filed) or is done.
        private func walk(_ user: ClosedUser<C>) async {
            let run = model.run
            if user.measured { run.recordWake(due: user.due, user: user.index) }
            while true {
                if !user.walking {
                    guard !run.stopping, run.clock.now < run.end, user.journeys < (model.journeysPerUser ?? .max) else { return done(user) }
                    user.journeys += 1
                    user.walking = true
                    user.journey.begin()
                }
                guard let pause = await user.journey.resume() else {
                    user.walking = false
                    continue
                }
                if file(user, after: pause) { return }
                await run.pause(pause, user: user.index)  // the lane is closing: this returns at once
            }
        }

        /// Files `user` to wake after `pause`, ringing the home's alarm early if it would wake too late;
        /// false (the worker pauses it itself) when the pause is nothing or the lane is closing.
        private func file(_ user: ClosedUser<C>, after pause: Duration) -> Bool {
            let run = model.run
            let now = run.clock.now
            guard pause > .zero, !run.stopping, now < run.end else { return false }
            user.due = now.advanced(by: pause)
            user.measured = true
            let (filed, early) = state.withLock { s -> (Bool, StopSignal?) in
                guard !s.closed else { return (false, nil) }
                s.file(user)
                return (true, s.alarmToRing(for: user.due))
            }
            early?.trigger()
            return filed
        }

        /// `user` is done: no pass left to begin.
        private func done(_ user: ClosedUser<C>) {
            model.run.recorder.countActive(user: user.index, -1)
            let last = state.withLock { s in
                s.remaining -= 1
                if s.remaining == 0 { s.closed = true }
                return s.remaining == 0
            }
            if last { wakeDriver() }  // the lane closes, and its home lets it go
        }
    }
}

