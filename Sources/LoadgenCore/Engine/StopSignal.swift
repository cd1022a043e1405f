import Synchronization

/// A one-shot "stop starting new turns" signal (Ctrl-C, SIGTERM), awaitable by the engine.
///
/// Shared on purpose: the signal handler (or a driver) fires it, every user and the arrival launcher
/// watch it. Stopping is not task cancellation: a stopped user finishes the turn in flight, waiting for
/// its reply up to the reply timeout, which cancellation would cut short.
public final class StopSignal: Sendable {
    private struct State {
        var triggered = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }
    private let state = Mutex(State())

    /// A signal that has not fired.
    public init() {}

    /// Fires the signal; every waiter resumes. Later calls do nothing.
    public func trigger() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.triggered else { return [] }
            s.triggered = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether the signal has fired.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

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
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Sleeps until `deadline` on `clock`, or until the signal fires (or the task is cancelled),
    /// whichever comes first: a thinking user or a waiting launcher wakes at once on Ctrl-C.
    public func sleep<C: Clock>(until deadline: C.Instant, on clock: C) async {
        guard !isTriggered, clock.now < deadline else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: deadline, tolerance: nil) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
