/// The closed model: a fixed set of users, each repeating its journey, with think time, until the run ends.
///
/// A thinking user is an entry in a heap, not a suspended task. The users are dealt into lanes (`Lane`),
/// each on one of the clock's threads; each thread's `Home` task wakes when the earliest pause of its
/// lanes ends and hands each user that is due to a worker, a task that walks the user's journey on to its
/// next pause, files it back and takes the user due longest on its thread, in any lane (`Board`), or
/// waits for the next one. There are as many workers as users between pauses at once: a handful
/// when the bot answers in a millisecond. A task keeps the slabs of its deepest stack (the turn, the HTTP
/// exchange, the wait for the reply) until it ends, so a task per user held 5 KB while thinking at 10,000
/// users, and 20 KB at 100,000, where the machine ran short of CPU making and freeing them; a filed user
/// is its journey's state, a few hundred bytes.
struct ClosedModel<C: EngineClock>: Sendable {
    let run: EngineRun<C>
    /// A bound on journeys per user (tests, smoke runs); nil = until the duration ends.
    let journeysPerUser: Int?

    /// The most users in one lane. A lane's workers are children of one task group, and the runtime finds
    /// a group's child in a list by walking it, when the child is added and when it ends: with every user
    /// of 100,000 between pauses at once (a bot that never answers) and in one group, the workers ending
    /// with the run would take minutes of CPU (quadratic). In lanes of this size the walk stays short.
    /// (One lane for all of a thread's users, with crews of workers, was tried: its heap of 50,000 missed
    /// the cache on every pop, and at 100,000 users it fell behind.)
    static var usersPerLane: Int { 1024 }

    /// The most idle workers a lane keeps: a burst of due users (the machine busy elsewhere for a moment)
    /// makes a worker each, and those past this many end instead of holding their stacks for the rest of
    /// the run. They are the lane's reserve for the next burst, when it hands its due users out at once
    /// instead of making workers 8 a step: at 100,000 users, 64 against 32 put the send lag p99 lower in
    /// 12 of 16 alternated runs (by 14 % in the median of the last 8), with no more memory; the home's
    /// idle workers in one pool, fewer in all, put it higher in 11 of 14 (docs/performance-log.md).
    static var idleWorkersKept: Int { 64 }

    /// The most workers a lane's driver is asked to make at once: when the thread was busy elsewhere for a
    /// moment and many users fell due together, a worker each held a stack each, about 16 KB (at 100,000
    /// users the run peaked at 426 MB against 190 MB mid-run, and the workers' churn put the send lag p99
    /// at 16 ms against 9–10 ms with this bound); most are served instead by the workers that finish a
    /// turn a moment later and take the next due user themselves. A bot that keeps every worker waiting
    /// still gets one more per user due, this many a tick.
    static var workersMadePerStep: Int { 8 }

    func run() async {
        let users = run.workload.users.count
        let homes = max(1, run.clock.homes)
        var boards: [Board] = []
        defer { for board in boards { board.seat([]) } }  // a lane holds its board: the cycle ends with the run
        await withDiscardingTaskGroup { tasks in
            for home in 0..<homes {
                // The users whose connections are on this home's thread (a user's home is its index).
                let mine = Array(stride(from: home, to: users, by: homes))
                let starts = Array(stride(from: 0, to: mine.count, by: Self.usersPerLane))
                let board = Board(lanes: starts.count)
                let lanes = starts.enumerated().map { order, start in
                    Lane(model: self, home: home, order: order, users: mine[start ..< min(start + Self.usersPerLane, mine.count)],
                         board: board)
                }
                guard !lanes.isEmpty else { continue }
                board.seat(lanes)
                boards.append(board)
                for lane in lanes { tasks.addTask { await lane.drive() } }
                tasks.addTask { await Home(model: self, home: home, lanes: lanes).drive() }
            }
        }
    }

    /// User `index`, its random stream seeded by its index, and how long after the start it first speaks.
    func user(_ index: Int) -> (ClosedUser<C>, first: Duration) {
        let w = run.workload
        var journey = JourneyRun(run: run, user: w.users[index], journey: run.journey(forUser: index),
                                 random: SeededRandom(seed: w.seed, stream: UInt64(index)),
                                 sequence: (UInt64(index) << 24) &+ w.wamidSalt, intendedStart: nil)
        let first = Self.firstPause(w.thinkTime, using: &journey.random)
        return (ClosedUser(journey: journey, due: run.start), first)
    }

    /// How long a user waits before its first message: the rest of a pause already under way, as if it had
    /// been thinking forever, so that turns come as often in the first seconds as later.
    ///
    /// A pause under way is more likely a long one: with think times uniform on [a, b] (mean m), what is left
    /// is uniform on [0, a] with probability a / m, and otherwise falls off linearly from a to b. Staggering
    /// over [0, m] instead, as loadgen did, made the first and the second turns overlap between a and m: at
    /// 3.5 s into a run of 10,000 users thinking 2–5 s, 4,300 turns/s against 2,860 on average, a surge the
    /// generator answered with a worker for every user it could not start at once. With one think time a
    /// for all, both are uniform on [0, a].
    static func firstPause(_ think: ClosedRange<Duration>, using random: inout SeededRandom) -> Duration {
        let (a, b) = (think.lowerBound, think.upperBound)
        let mean = (a + b) / 2
        guard mean > .zero else { return .zero }
        let u = random.nextFraction()
        let short = a / mean
        if u < short { return a * (u / short) }
        return b - (b - a) * ((u - short) / (1 - short)).squareRoot()
    }
}

/// A closed-model user between its stretches: its journey, how many passes it began, and when its pause
/// ends.
///
/// Shared on purpose, one holder at a time: its lane's heap while it thinks, then the one worker it is
/// handed to or that takes it (a worker of any lane of its home), which alone touches it until it files
/// it back (the lane's lock orders the hand-overs).
final class ClosedUser<C: EngineClock>: @unchecked Sendable {
    var journey: JourneyRun<C>
    /// Passes begun.
    var journeys = 0
    /// Whether a pass is under way.
    var walking = false
    /// When its pause ends.
    var due: C.Instant
    /// Where it is in its lane's users.
    var slot = 0
    /// Its lane, which outlives it (unowned: the lane holds its users).
    unowned(unsafe) var lane: ClosedModel<C>.Lane? = nil
    /// Whether waking after `due` is the send lag (`RunMetrics.wakeLag`): not for the staggered start,
    /// taken while the engine is still starting everyone.
    var measured = false

    init(journey: JourneyRun<C>, due: C.Instant) {
        self.journey = journey
        self.due = due
    }

    var index: Int { journey.user.index }
}
