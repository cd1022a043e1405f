import Synchronization

/// A one-shot "stop starting new turns" signal (Ctrl-C, SIGTERM), awaitable by the engine.
///
/// Shared on purpose: the signal handler (or a driver) fires it, every user and the arrival launcher
/// watch it. Stopping is not task cancellation: a stopped user finishes the turn in flight, waiting for
/// its reply up to the reply timeout, which cancellation would cut short.
public final class StopSignal: Sendable {
    private struct State {
        var triggered = false
        var waiters: [Int: @Sendable () -> Void] = [:]
        var nextID = 0
    }
    private let state = Mutex(State())

    /// A signal that has not fired.
    public init() {}

    /// Fires the signal; every waiter resumes. Later calls do nothing.
    public func trigger() {
        let waiters = state.withLock { s -> [@Sendable () -> Void] in
            guard !s.triggered else { return [] }
            s.triggered = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter() }
    }

    /// Whether the signal has fired.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

    /// How many wait or are registered now (tests: a sleep that ended leaves none behind).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Calls `wake` once when the signal fires, and returns the id that `forget` takes; when the
    /// signal has fired already, calls nothing and returns nil.
    public func onTrigger(_ wake: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { s in
            guard !s.triggered else { return nil }
            s.nextID += 1
            s.waiters[s.nextID] = wake
            return s.nextID
        }
    }

    /// Drops the `onTrigger` registration `id` (it may have fired already).
    public func forget(_ id: Int) {
        _ = state.withLock { $0.waiters.removeValue(forKey: id) }
    }

    /// Returns when the signal fires or the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    if s.triggered || Task.isCancelled { return true }
                    s.waiters[id] = { continuation.resume() }
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?()
        }
    }

    /// Sleeps until `deadline` on `clock`, or until the signal fires (or the task is cancelled),
    /// whichever comes first: a thinking user or a waiting launcher wakes at once on Ctrl-C.
    public func sleep<C: EngineClock>(until deadline: C.Instant, on clock: C, home: Int? = nil) async {
        guard !isTriggered, clock.now < deadline else { return }
        if let home { await clock.sleep(until: deadline, or: self, home: home) } else { await clock.sleep(until: deadline, or: self) }
    }
}

/// The clock an engine runs on: a `Clock` whose sleep a `StopSignal` can end early.
///
/// The default sleeps in a child task and watches the signal in another, in a task group: three tasks
/// per thinking user. A clock that can wake a sleeper from outside (`WallClock` on the runtime's timers) does
/// it with none, which at 10,000 users is 5.6 KB each.
public protocol EngineClock: Clock where Duration == Swift.Duration {
    /// Returns at `deadline`, when `stop` fires, or when the calling task is cancelled.
    func sleep(until deadline: Instant, or stop: StopSignal) async

    /// Sleeps like `sleep(until:or:)`, and wakes the sleeper on its `home` among the clock's threads, when
    /// it has several: a user always wakes where its connections are, and the users are spread evenly.
    func sleep(until deadline: Instant, or stop: StopSignal, home: Int) async

    /// How many threads the clock wakes sleepers on: `home`s that are equal modulo this wake on the same
    /// one (1 when the clock has no such notion).
    var homes: Int { get }
}

extension EngineClock {
    public var homes: Int { 1 }

    public func sleep(until deadline: Instant, or stop: StopSignal, home: Int) async { await sleep(until: deadline, or: stop) }

    public func sleep(until deadline: Instant, or stop: StopSignal) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.sleep(until: deadline, tolerance: nil) }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}

extension ContinuousClock: EngineClock {}
