import Foundation
import LoadgenCore

/// Virtual time for tests: a whole scenario — seconds or hours of it — runs in milliseconds, and every
/// latency it measures is exact.
///
/// `VirtualTime.run` runs its body on a single-threaded `TaskExecutor` that every child task inherits.
/// Whenever that thread has no job left, nothing can happen until some sleeper wakes, so the clock jumps
/// to the earliest sleeper's deadline and wakes it (sleepers with the same deadline in the order they
/// went to sleep). No test sleeps for real. (Default actors run on the global executor, not this one:
/// code under virtual time uses none.)
///
/// ```swift
/// let metrics = await VirtualTime.run { clock in
///     await Engine(clock: clock, transport: bot, …).run(workload).metrics
/// }
/// ```
public enum VirtualTime {
    /// Runs `body` in virtual time, with the clock to inject everywhere.
    public static func run<T: Sendable>(_ body: @Sendable (VirtualClock) async -> T) async -> T {
        let executor = VirtualExecutor()
        executor.start()
        defer { executor.stop() }
        return await withTaskExecutorPreference(executor) { await body(VirtualClock(executor: executor)) }
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

    let executor: VirtualExecutor

    public var now: Instant { executor.now }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await executor.sleep(until: deadline)
    }
}

/// A single-threaded task executor and the virtual clock it drives: when it runs out of jobs, it moves
/// the clock to the earliest sleeper's deadline and wakes it.
///
/// Shared on purpose: owned by one `VirtualTime.run`; the Swift runtime enqueues every job of the test's
/// tasks here, and the clock's users register their sleeps. One lock (the condition) guards it all.
final class VirtualExecutor: TaskExecutor, @unchecked Sendable {
    private struct Sleeper {
        var id: UInt64
        var deadline: VirtualClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopped = false
    private var current = VirtualClock.Instant(offset: .zero)
    private var sleepers: [Sleeper] = []
    private var nextID: UInt64 = 0

    var now: VirtualClock.Instant { locked { current } }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        locked {
            jobs.append(job)
            condition.signal()
        }
    }

    func sleep(until deadline: VirtualClock.Instant) async throws {
        let id = locked {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now: Result<Void, any Error>? = locked {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= current { return .success(()) }
                    sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            let sleeper: Sleeper? = locked { sleepers.firstIndex { $0.id == id }.map { sleepers.remove(at: $0) } }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    func start() {
        let thread = Thread { [self] in work() }
        thread.name = "virtual time"
        thread.start()
    }

    func stop() {
        locked {
            stopped = true
            condition.signal()
        }
    }

    private func work() {
        while let job = nextJob() { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    /// The next job to run: a queued one, else the jobs of the sleepers that wake when the clock moves to
    /// the earliest deadline; waits when nothing can happen; nil once stopped.
    private func nextJob() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head > 1024 {
                    jobs.removeFirst(head)
                    head = 0
                }
                return job
            }
            if stopped { return nil }
            if let earliest = sleepers.map(\.deadline).min() {
                current = max(current, earliest)
                let due = sleepers.filter { $0.deadline <= current }.sorted { $0.id < $1.id }
                sleepers.removeAll { $0.deadline <= current }
                condition.unlock()  // resuming enqueues their jobs, which takes the lock
                for sleeper in due { sleeper.continuation.resume() }
                condition.lock()
                continue
            }
            condition.wait()
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }
}

extension VirtualClock: EngineClock {}
