import Foundation
import Synchronization

/// Virtual time for tests: a whole scenario — seconds or hours of it — runs in milliseconds, and every
/// latency it measures is exact.
///
/// `VirtualTime.run` runs its body on a single-threaded `TaskExecutor` that every child task inherits.
/// Whenever that thread has no job left, nothing can happen until some sleeper wakes, so the clock jumps
/// to the earliest sleeper's deadline and wakes it (sleepers with the same deadline in the order they
/// went to sleep). No test sleeps for real.
///
/// ```swift
/// let metrics = await VirtualTime.run { clock in
///     await Engine(clock: clock, transport: bot, …).run(workload).metrics
/// }
/// ```
public enum VirtualTime {
    /// Runs `body` in virtual time, with the clock to inject everywhere.
    public static func run<T: Sendable>(_ body: @Sendable (VirtualClock) async -> T) async -> T {
        let scheduler = VirtualScheduler()
        let executor = VirtualExecutor(scheduler: scheduler)
        executor.start()
        defer { executor.stop() }
        return await withTaskExecutorPreference(executor) { await body(VirtualClock(scheduler: scheduler)) }
    }
}

/// The clock of `VirtualTime`: it moves only when everything waiting on it is asleep.
public struct VirtualClock: Clock {
    public struct Instant: InstantProtocol {
        /// Time since the clock was made.
        public var offset: Duration
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    let scheduler: VirtualScheduler

    public var now: Instant { scheduler.now }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await scheduler.sleep(until: deadline)
    }
}

/// The sleepers of a virtual clock and its current time. Shared by the clock's users (sleeping) and the
/// executor (advancing); everything runs on the executor's one thread, the lock only makes that safe.
final class VirtualScheduler: Sendable {
    private struct Sleeper {
        var id: UInt64
        var deadline: VirtualClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var now = VirtualClock.Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
    }
    private let state = Mutex(State())

    var now: VirtualClock.Instant { state.withLock { $0.now } }

    func sleep(until deadline: VirtualClock.Instant) async throws {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now: Result<Void, any Error>? = state.withLock { s in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= s.now { return .success(()) }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { s in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: i)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock to the earliest deadline and wakes every sleeper due then; false when nobody sleeps.
    func advance() -> Bool {
        let due: [Sleeper] = state.withLock { s in
            guard let earliest = s.sleepers.map(\.deadline).min() else { return [] }
            s.now = max(s.now, earliest)
            let due = s.sleepers.filter { $0.deadline <= s.now }.sorted { $0.id < $1.id }
            s.sleepers.removeAll { $0.deadline <= s.now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
        return !due.isEmpty
    }
}

/// A single-threaded task executor that, when it runs out of jobs, advances its virtual clock.
/// Shared on purpose: the Swift runtime enqueues every job of the test's tasks here, from this thread.
final class VirtualExecutor: TaskExecutor, @unchecked Sendable {
    private let scheduler: VirtualScheduler
    /// Guards `jobs`, `head` and `stopped`; the worker waits on it when nothing can happen.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopped = false

    init(scheduler: VirtualScheduler) { self.scheduler = scheduler }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func start() {
        let thread = Thread { [self] in work() }
        thread.name = "virtual time"
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head > 1024 { jobs.removeFirst(head); head = 0 }
                condition.unlock()
                job.runSynchronously(on: asUnownedTaskExecutor())
                condition.lock()
                continue
            }
            if stopped { break }
            condition.unlock()
            let woke = scheduler.advance()  // nothing can run until a sleeper wakes
            condition.lock()
            if !woke, head >= jobs.count, !stopped { condition.wait() }
        }
        condition.unlock()
    }
}
