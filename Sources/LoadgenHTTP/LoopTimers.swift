import NIOCore
import NIOPosix
import Synchronization
import Wire

/// Sleeps for thousands of tasks on timer heaps of loadgen's own, driven by the event loops.
///
/// `Task.sleep` and `ContinuousClock.sleep` go to libdispatch's timers even with NIO as the global
/// executor: each sleep arms a timerfd on dispatch's manager thread and wakes its task from there, and at
/// 10,000 users (a think time, a reply deadline and three status delays per turn) that took 16 % of the
/// CPU. A NIO scheduled task is no better when cancelled: its removal searches the loop's heap linearly.
/// Here a sleep is an entry in a heap under a lock; a cancelled sleep resumes at once and leaves its
/// entry to be skipped; an event loop task is scheduled only when the earliest deadline moves earlier,
/// rounded up to the millisecond so that the wake-ups of one millisecond share one tick.
///
/// Shared on purpose, like the event loop group it runs on: every sleeping task of the process files
/// its deadline here. One shard per event loop, each with its own lock; a sleep goes to the shard of the
/// event loop its task runs on (NIO is the global executor in the binary), the first shard otherwise.
public final class LoopTimers: Sendable {
    /// The process's timers, on NIO's singleton event loop group.
    public static let shared = LoopTimers(group: MultiThreadedEventLoopGroup.singleton)

    /// How late a sleep may wake: wake-ups within one tick are served together.
    public static let tick = Duration.milliseconds(1)

    private let shards: [Shard]

    public init(group: any EventLoopGroup) {
        shards = group.makeIterator().map(Shard.init(loop:))
    }

    /// How many shards (event loops) there are: a sleep's `shard` is taken modulo this.
    public var shardCount: Int { shards.count }

    /// Returns at `deadline` (at most a tick later) or at once when the calling task is cancelled.
    public func sleep(until deadline: ContinuousClock.Instant) async {
        await sleep(until: deadline) { _ in }
    }

    /// Sleeps like `sleep(until:)`, and once the sleep is filed hands `filed` a function that ends it
    /// early (from any thread, at most once to effect): what a stop signal calls to wake a thinking user
    /// without a task of its own. `filed` is not called when the sleep returns at once.
    public func sleep(
        until deadline: ContinuousClock.Instant, shard index: Int? = nil, filed: (_ wake: @escaping @Sendable () -> Void) -> Void
    ) async {
        guard deadline > .now else { return }
        await (index.map { shards[abs($0) % shards.count] } ?? shard()).sleep(until: deadline, filed: filed)
    }

    /// The shard of the event loop the caller runs on, so that a loop's tasks share its lock. (A sleep may
    /// name its shard instead — `index` modulo the loops — and then wakes on that loop: NIO resumes a task
    /// on the loop that resumed it, so that is where the task goes on running.)
    private func shard() -> Shard {
        guard shards.count > 1, let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return shards[0] }
        return shards.first { $0.loop === loop } ?? shards[0]
    }

    /// Returns after `duration` (at most a tick later) or at once when the calling task is cancelled.
    public func sleep(for duration: Duration) async { await sleep(until: .now + duration) }
}

extension LoopTimers {
    /// A sleep: its deadline counted from `tickOrigin` (a `Duration` is moved inline; the clock's instant
    /// is resilient, and every move of one in the heap was a call), and its id.
    private struct Entry: Comparable {
        var deadline: Duration
        var id: UInt64
        static func < (a: Entry, b: Entry) -> Bool { (a.deadline, a.id) < (b.deadline, b.id) }
    }

    private struct State {
        var heap = MinHeap<Entry>()
        var sleepers: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Ticks an event loop task is scheduled for, earliest first (rarely more than two).
        var armed: [ContinuousClock.Instant] = []

        /// Whether a tick must be scheduled for `deadline`: none is set for it or earlier.
        mutating func arm(_ deadline: ContinuousClock.Instant) -> ContinuousClock.Instant? {
            let tick = deadline.roundedUp(to: LoopTimers.tick)
            if let first = armed.first, first <= tick { return nil }
            armed.insert(tick, at: 0)
            return tick
        }
    }

    /// One event loop's sleepers.
    ///
    /// Shared on purpose: owned by its `LoopTimers`; tasks file their sleeps from any thread, the event
    /// loop's tick wakes them.
    private final class Shard: Sendable {
        let loop: any EventLoop
        private let state = Mutex(State())
        /// Every sleep's own id: a cancelled sleep's entry stays in the heap and must not wake a later one.
        private let next = Atomic<UInt64>(0)

        init(loop: any EventLoop) { self.loop = loop }

        func sleep(until deadline: ContinuousClock.Instant, filed: (_ wake: @escaping @Sendable () -> Void) -> Void) async {
            let id = next.add(1, ordering: .relaxed).newValue
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let (resumeNow, tick): (Bool, ContinuousClock.Instant?) = state.withLock { s in
                        if Task.isCancelled { return (true, nil) }
                        s.sleepers[id] = continuation
                        s.heap.push(Entry(deadline: tickOrigin.duration(to: deadline), id: id))
                        return (false, s.arm(deadline))
                    }
                    if resumeNow { return continuation.resume() }
                    if let tick { schedule(tick) }
                    filed { self.wake(id) }
                }
            } onCancel: {
                wake(id)
            }
        }

        /// Ends sleep `id` now, unless it has ended.
        private func wake(_ id: UInt64) {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.resume()
        }

        private func schedule(_ tick: ContinuousClock.Instant) {
            let delay = ContinuousClock.now.duration(to: tick)
            let c = delay.components
            let nanoseconds = max(0, c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
            loop.scheduleTask(in: .nanoseconds(nanoseconds)) { self.fire(tick) }
        }

        /// The tick set for `tick` came: wakes every sleeper due by now, and sets the next tick if none
        /// is set early enough for the earliest sleeper left.
        private func fire(_ tick: ContinuousClock.Instant) {
            let now = ContinuousClock.now
            let (due, next): ([CheckedContinuation<Void, Never>], ContinuousClock.Instant?) = state.withLock { s in
                s.armed.removeAll { $0 == tick }
                var due: [CheckedContinuation<Void, Never>] = []
                let dueBy = tickOrigin.duration(to: now)
                while let first = s.heap.first, first.deadline <= dueBy {
                    s.heap.popFirst()
                    if let sleeper = s.sleepers.removeValue(forKey: first.id) { due.append(sleeper) }
                }
                return (due, s.heap.first.flatMap { s.arm(tickOrigin + $0.deadline) })
            }
            for sleeper in due { sleeper.resume() }
            if let next { schedule(next) }
        }
    }
}

/// Where ticks are counted from: the first use of the timers.
private let tickOrigin = ContinuousClock.now

extension ContinuousClock.Instant {
    /// This instant rounded up to a multiple of `step` past `tickOrigin`.
    fileprivate func roundedUp(to step: Duration) -> ContinuousClock.Instant {
        let steps = (tickOrigin.duration(to: self) / step).rounded(.up)
        return tickOrigin + step * Int(max(0, steps))
    }
}
