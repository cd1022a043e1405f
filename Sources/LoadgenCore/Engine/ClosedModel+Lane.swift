import Synchronization
import Wire

extension ClosedModel {
    /// A share of the users, all at home on one of the clock's threads: its thinking users in a heap by when
    /// their pause ends, its idle workers, and its driver's alarm.
    ///
    /// Shared on purpose: the driver and the workers are tasks of their own; every hand-over goes through
    /// the lock. The driver hands out what is due and sets its alarm for the next; a worker files its user
    /// back and, when that user is due before the alarm, rings it early.
    final class Lane: Sendable {
        let model: ClosedModel
        let home: Int
        private let indices: ArraySlice<Int>
        private let state = Mutex(State())

        init(model: ClosedModel, home: Int, users indices: ArraySlice<Int>) {
            self.model = model
            self.home = home
            self.indices = indices
        }

        private typealias Worker = CheckedContinuation<ClosedUser<C>?, Never>

        /// A thinking user: when it is due, and where it is in the lane's users (users due at one instant go
        /// in that order). No reference: the heap moves its entries on every push and pop.
        private struct Entry: Comparable {
            var due: C.Instant
            var slot: Int
            static func < (a: Entry, b: Entry) -> Bool { a.due < b.due || (a.due == b.due && a.slot < b.slot) }
        }

        private struct State {
            var users: [ClosedUser<C>] = []
            var heap = MinHeap<Entry>()
            /// Workers waiting for a user, the last to finish first (its stack is warm).
            var idle: [Worker] = []
            /// When the driver sleeps until, and what wakes it sooner.
            var alarm: (at: C.Instant, early: StopSignal)?
            /// The driver, waiting for a user to be filed (none thinks).
            var parked: CheckedContinuation<Void, Never>?
            /// Users not done: thinking, or with a worker.
            var remaining = 0
            /// Past the end or stopped: nothing is filed or handed out any more.
            var closed = false

            mutating func file(_ user: ClosedUser<C>) { heap.push(Entry(due: user.due, slot: user.slot)) }
        }

        /// What the driver does next.
        private enum Step {
            /// Give each user to the worker (nil: a new one); with a backlog, users are due that no worker
            /// was free for, and the driver looks again a tick later.
            case hand([(ClosedUser<C>, Worker?)], backlog: Bool)
            case sleep(until: C.Instant, early: StopSignal)
            /// No user thinks: wait for one to be filed (or for the last to be done).
            case park
            /// The run is over for the lane: release the idle workers, end the passes of the thinking users.
            case close(thinking: [ClosedUser<C>], idle: [Worker])
        }

        /// Runs the lane's users until each is done, and returns when their workers have.
        func drive() async {
            let run = model.run
            // Made at home, where their turns will run, and staggered from when they are all made: made
            // on one thread before, 100,000 users kept it busy while the first of them fell due, and those
            // woke all at once, each to a new worker (10,000 workers in the first 0.7 s).
            if run.clock.homes > 1 { await tick() }
            let made = indices.map { model.user($0) }
            let start = run.clock.now
            for (slot, (user, first)) in made.enumerated() {
                user.due = start.advanced(by: first)
                user.slot = slot
            }
            let users = made.map(\.0)
            for user in users { run.recorder.countActive(user: user.index, 1) }
            state.withLock { s in
                s.users = users
                for user in users { s.file(user) }
                s.remaining = users.count
            }
            let stopping = run.stop.onTrigger { [self] in wakeDriver() }
            defer { if let stopping { run.stop.forget(stopping) } }
            await withDiscardingTaskGroup { workers in
                while true {
                    switch next() {
                    case .hand(let due, let backlog):
                        for (user, worker) in due {
                            if let worker { worker.resume(returning: user) } else { workers.addTask { await self.work(user) } }
                        }
                        if backlog { await tick() }
                    case .sleep(let until, let early):
                        await early.sleep(until: until, on: run.clock, home: home)
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

        /// Sleeps one tick of the clock (or until the run stops), waking on the lane's home thread.
        private func tick() async {
            let run = model.run
            await run.stop.sleep(until: run.clock.now.advanced(by: run.clock.minimumResolution), on: run.clock, home: home)
        }

        private func next() -> Step {
            let run = model.run
            let now = run.clock.now
            let over = run.stopping || now >= run.end
            return state.withLock { s in
                s.alarm = nil
                if over || s.remaining == 0 {
                    s.closed = true
                    defer { s.idle = [] }
                    return .close(thinking: s.heap.removeAll().map { s.users[$0.slot] }, idle: s.idle)
                }
                var due: [(ClosedUser<C>, Worker?)] = []
                var made = 0
                while let first = s.heap.first, first.due <= now {
                    let worker = s.idle.popLast()
                    if worker == nil {
                        // The rest wait for a worker to come back (it takes the next due user itself) or
                        // for the next step, a tick later.
                        guard made < ClosedModel.workersMadePerStep else { return .hand(due, backlog: true) }
                        made += 1
                    }
                    s.heap.popFirst()
                    due.append((s.users[first.slot], worker))
                }
                if !due.isEmpty { return .hand(due, backlog: false) }
                guard let first = s.heap.first else { return .park }
                let alarm = (at: min(first.due, run.end), early: StopSignal())
                s.alarm = alarm
                return .sleep(until: alarm.at, early: alarm.early)
            }
        }

        /// Waits until a user is filed, the last is done, or the run stops or is cancelled.
        private func park() async {
            let run = model.run
            await withTaskCancellationHandler {
                await withCheckedContinuation { (parked: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { s in
                        if !s.heap.isEmpty || s.remaining == 0 || run.stopping { return true }
                        s.parked = parked
                        return false
                    }
                    if now { parked.resume() }
                }
            } onCancel: {
                wakeDriver()
            }
        }

        /// Wakes the driver, parked or asleep.
        private func wakeDriver() {
            let (parked, alarm) = state.withLock { s in
                defer { (s.parked, s.alarm) = (nil, nil) }
                return (s.parked, s.alarm?.early)
            }
            parked?.resume()
            alarm?.trigger()
        }

        /// A worker: walks the users it is handed, or takes the next that is due, until the lane closes or
        /// enough others wait.
        private func work(_ first: ClosedUser<C>) async {
            var next: ClosedUser<C>? = first
            while let user = next {
                await walk(user)
                let now = model.run.clock.now
                next = await withCheckedContinuation { (worker: Worker) in
                    let (waits, due) = state.withLock { s -> (Bool, ClosedUser<C>?) in
                        if !s.closed, let first = s.heap.first, first.due <= now {  // one is due already: no need to wait
                            s.heap.popFirst()
                            return (false, s.users[first.slot])
                        }
                        guard !s.closed, s.idle.count < ClosedModel.idleWorkersKept else { return (false, nil) }
                        s.idle.append(worker)
                        return (true, nil)
                    }
                    if !waits { worker.resume(returning: due) }
                }
            }
        }

        /// Walks `user` on until it pauses (and is filed) or is done.
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

        /// Files `user` to wake after `pause`, ringing the driver's alarm early if it would wake too late;
        /// false (the worker pauses it itself) when the pause is nothing or the lane is closing.
        private func file(_ user: ClosedUser<C>, after pause: Duration) -> Bool {
            let run = model.run
            let now = run.clock.now
            guard pause > .zero, !run.stopping, now < run.end else { return false }
            user.due = now.advanced(by: pause)
            user.measured = true
            let (filed, parked, early) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?, StopSignal?) in
                guard !s.closed else { return (false, nil, nil) }
                s.file(user)
                defer { s.parked = nil }
                guard let alarm = s.alarm, user.due < alarm.at else { return (true, s.parked, nil) }
                s.alarm = nil
                return (true, s.parked, alarm.early)
            }
            parked?.resume()
            early?.trigger()
            return filed
        }

        /// `user` is done: no pass left to begin.
        private func done(_ user: ClosedUser<C>) {
            model.run.recorder.countActive(user: user.index, -1)
            let last = state.withLock { s in
                s.remaining -= 1
                return s.remaining == 0
            }
            if last { wakeDriver() }
        }
    }
}

