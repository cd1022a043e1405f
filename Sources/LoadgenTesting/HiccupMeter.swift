import Foundation
import Synchronization

/// How long this machine stalled the process while a timing test ran, after jHiccup: a thread of its
/// own sleeps 1 ms again and again and records how much later than asked it woke. On a shared 2-core
/// machine the kernel deschedules a process for tens of milliseconds now and then; a test that checks
/// measured latencies against the truth allows for the stall the machine showed in the same run
/// instead of for a guess.
///
/// Shared on purpose: owned by one timing test; the meter's thread writes the worst stall, the test reads it.
public final class HiccupMeter: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let worstNanoseconds = Atomic<Int64>(0)

    /// Starts measuring at once; stops at `stop()` or after `limit`, whichever comes first.
    public init(limit: Duration = .seconds(300)) {
        let thread = Thread { [self] in measure(until: ContinuousClock.now + limit) }
        thread.name = "hiccup-meter"
        thread.start()
    }

    /// The longest stall seen so far: how much later than asked the meter woke, at its worst.
    public var worst: Duration { .nanoseconds(worstNanoseconds.load(ordering: .relaxed)) }

    /// Stops the meter and returns the worst stall it saw.
    @discardableResult
    public func stop() -> Duration {
        stopped.store(true, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { usleep(200) }
        return worst
    }

    private func measure(until deadline: ContinuousClock.Instant) {
        defer { finished.store(true, ordering: .releasing) }
        let interval = Duration.milliseconds(1)
        while !stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
            let asked = ContinuousClock.now + interval
            usleep(1000)
            let late = asked.duration(to: .now)
            let c = late.components
            let ns = c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000
            if ns > worstNanoseconds.load(ordering: .relaxed) { worstNanoseconds.store(ns, ordering: .relaxed) }
        }
    }
}
