import Synchronization

extension ClosedModel {
    /// When each lane of one home has its next user due: a worker that ends a turn takes the most overdue
    /// user of its home, whichever lane it is in, before it waits in its own.
    ///
    /// Shared on purpose: the lanes write their next here under their own lock (a lane's lock, then the
    /// board's, never the other way), and the workers read it between turns.
    ///
    /// Why: the home's alarm is one of its event loop's timers, and the loop runs its timers only between
    /// the batches of jobs it took from its sockets. When the loop falls behind for a moment, it reads a
    /// few hundred answers at once and runs their turns for 5–40 ms, while the users falling due wait for
    /// the batch to end, unless a worker of their own lane ends a turn first (a home has about 50 lanes at
    /// 100,000 users: one in fifty of the batch's workers). Every one of the batch's workers ends a turn,
    /// and taking the most overdue user of the whole home, each starts one user on time.
    final class Board: Sendable {
        private struct State {
            /// The home's lanes, once made (`[]` once the run is over: a lane holds its board).
            var lanes: [Lane] = []
            /// Lane by lane (`Lane.order`), when its next user is due, from the run's start; `none`: none
            /// thinks.
            var next: [Duration]
        }

        private let state: Mutex<State>

        private static var none: Duration { .seconds(Int64.max) }

        init(lanes count: Int) {
            state = Mutex(State(next: Array(repeating: Self.none, count: count)))
        }

        /// The home's lanes, once made; `[]` when the run is over.
        func seat(_ lanes: [Lane]) { state.withLock { $0.lanes = lanes } }

        /// Lane `order`'s next user is due at `due` (nil: none thinks). Called under the lane's lock.
        func note(_ order: Int, next due: Duration?) {
            state.withLock { $0.next[order] = due ?? Self.none }
        }

        /// The user due longest by `now` (from the run's start) in any lane, taken off its lane's heap; nil
        /// when none is due. A lane that closed or whose user was taken meanwhile gives nothing.
        func takeOverdue(by now: Duration) -> ClosedUser<C>? {
            let lane: Lane? = state.withLock { s in
                var best: Int?
                var earliest = now
                for i in s.next.indices where s.next[i] <= earliest {
                    earliest = s.next[i]
                    best = i
                }
                return best.flatMap { s.lanes.indices.contains($0) ? s.lanes[$0] : nil }
            }
            return lane?.take(by: now)
        }
    }
}
