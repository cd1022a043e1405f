import Foundation
import LoadgenCore
import NIOCore
import Synchronization

/// How long this machine stalled the work of a timing test while it ran, after jHiccup: probes ask to be
/// woken every millisecond and record how much later than asked they were. On a shared 2-core machine
/// the kernel deschedules threads for tens of milliseconds now and then; a test that checks measured
/// latencies against the truth allows for the stall the machine showed in the same run instead of for a guess.
///
/// The probes sit where the test's requests are handled, because a stall is felt per thread: a thread of
/// the meter's own (jHiccup's probe: it catches what stops the whole process), a timer on every event
/// loop of `loops` (where connections read, write and parse), and a task on the cooperative pool (where
/// the engine's and the bot's tasks run). A sleeping thread alone was not enough: a thread that sleeps
/// is favoured by the scheduler when it wakes, so under CPU contention the meter saw 5–8 ms while the
/// busy loops waited 25 ms and more (six spinning processes on 2 cores, 2026-12-07).
///
/// Shared on purpose: owned by one timing test; the probes write the worst stall, the test reads it.
public final class HiccupMeter: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let worstNanoseconds = Atomic<Int64>(0)
    private static let interval = Duration.milliseconds(1)

    /// Starts measuring at once; stops at `stop()` or after `limit`, whichever comes first.
    public init(loops: any EventLoopGroup, limit: Duration = .seconds(300)) {
        let deadline = ContinuousClock.now + limit
        for loop in loops.makeIterator() { probe(loop, until: deadline) }
        Task.detached { [self] in
            while !stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
                let asked = ContinuousClock.now + Self.interval
                try? await Task.sleep(until: asked)
                note(asked.duration(to: .now))
            }
        }
        let thread = Thread { [self] in measure(until: deadline) }
        thread.name = "hiccup-meter"
        thread.start()
    }

    /// The longest stall seen so far: how much later than asked a probe woke, at its worst.
    public var worst: Duration { .nanoseconds(worstNanoseconds.load(ordering: .relaxed)) }

    /// Stops the meter and returns the worst stall it saw.
    @discardableResult
    public func stop() -> Duration {
        stopped.store(true, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { usleep(200) }
        return worst
    }

    /// A timer on `loop` a millisecond ahead, which notes how late it fired and sets the next.
    private func probe(_ loop: any EventLoop, until deadline: ContinuousClock.Instant) {
        let asked = NIODeadline.now() + .nanoseconds(Self.interval.nanoseconds)
        loop.scheduleTask(deadline: asked) { [self] in
            note(.nanoseconds((NIODeadline.now() - asked).nanoseconds))
            if !stopped.load(ordering: .relaxed), ContinuousClock.now < deadline { probe(loop, until: deadline) }
        }
    }

    /// jHiccup's probe: a thread of its own sleeping 1 ms again and again.
    private func measure(until deadline: ContinuousClock.Instant) {
        defer { finished.store(true, ordering: .releasing) }
        while !stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
            let asked = ContinuousClock.now + Self.interval
            usleep(1000)
            note(asked.duration(to: .now))
        }
    }

    private func note(_ late: Duration) {
        worstNanoseconds.max(late.nanoseconds, ordering: .relaxed)
    }
}
