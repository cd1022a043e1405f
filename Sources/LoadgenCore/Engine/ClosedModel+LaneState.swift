import Wire

extension ClosedModel.Lane {
    /// An idle worker (nil: the lane closed). Unchecked (the checked kind allocates, for every turn at
    /// scale): each is resumed once, by `serve`, by `next` when the lane closes, or in `work` at once.
    typealias Worker = UnsafeContinuation<ClosedUser<C>?, Never>

    /// A thinking user: when it is due (from the lane's origin), and where it is in the lane's users
    /// (users due at one instant go in that order). No reference, and no instant: the heap moves its
    /// entries on every push and pop, and a `Duration` is moved inline where a clock's instant may be
    /// resilient (the wall clock's is), each move a call.
    struct Entry: Comparable {
        var due: Duration
        var slot: Int
        static func < (a: Entry, b: Entry) -> Bool { a.due < b.due || (a.due == b.due && a.slot < b.slot) }
    }

    /// What the lane's lock guards: its users, the thinking ones' heap, its idle workers, its driver and
    /// its home's alarm.
    struct State {
        /// What the entries' `due` counts from: the run's start.
        let origin: C.Instant
        /// The lane's place on its home's board, and the board, told when the lane's next user changes.
        let order: Int
        let board: ClosedModel.Board
        var users: [ClosedUser<C>] = []
        var heap = MinHeap<Entry>()
        /// Workers waiting for a user, the last to finish first (its stack is warm).
        var idle: [Worker] = []
        /// Due users handed over when no worker was idle: the driver makes a worker for each.
        var unstaffed: [ClosedUser<C>] = []
        /// When the home wakes for this lane next (nil: not for it, until a user is filed), and what
        /// wakes it sooner, as the home left them when it last served the lane; nil once rung (or
        /// before the first serve), until the home serves the lane again.
        var alarm: (at: C.Instant?, early: StopSignal)?
        /// The driver, waiting for users to make workers for, or for the lane to close.
        var parked: CheckedContinuation<Void, Never>?
        /// Whether the users are made and filed.
        var started = false
        /// Users not done: thinking, or with a worker.
        var remaining = 0
        /// Past the end or stopped: nothing is filed or handed out any more.
        var closed = false

        init(origin: C.Instant, order: Int, board: ClosedModel.Board) {
            self.origin = origin
            self.order = order
            self.board = board
        }

        mutating func file(_ user: ClosedUser<C>) {
            let entry = Entry(due: origin.duration(to: user.due), slot: user.slot)
            heap.push(entry)
            if heap.first == entry { board.note(order, next: entry.due) }
        }

        /// When the first thinking user is due (nil: none thinks).
        var nextDue: C.Instant? { heap.first.map { origin.advanced(by: $0.due) } }

        /// The first thinking user when it is due by `now`, taken off the heap.
        mutating func popDue(by now: C.Instant) -> ClosedUser<C>? { popDue(by: origin.duration(to: now)) }

        /// The first thinking user when it is due by `now` (from the origin), taken off the heap.
        mutating func popDue(by now: Duration) -> ClosedUser<C>? {
            guard let first = heap.first, first.due <= now else { return nil }
            heap.popFirst()
            board.note(order, next: heap.first?.due)
            return users[first.slot]
        }

        /// The home's alarm, when a user just filed is due before it: the caller rings it.
        mutating func alarmToRing(for due: C.Instant) -> StopSignal? {
            guard let alarm, alarm.at.map({ due < $0 }) ?? true else { return nil }
            self.alarm = nil
            return alarm.early
        }

        /// Closes the lane: the thinking users and the idle workers to end, and the driver to wake.
        mutating func close() -> CheckedContinuation<Void, Never>? {
            closed = true
            board.note(order, next: nil)
            defer { parked = nil }
            return parked
        }
    }
}
