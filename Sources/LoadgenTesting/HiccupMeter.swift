import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// How long this machine stalled the work of a timing test while it ran, after jHiccup: probes ask to be
/// woken every millisecond and record how much later than asked they were. On a shared 2-core machine
/// the kernel deschedules threads for tens of milliseconds now and then; a test that checks measured
/// latencies against the truth allows for the stall the machine showed in the same run instead of for a guess.
///
/// The probes sit where the test's requests are handled, because a stall is felt per thread: a thread of
/// the meter's own (jHiccup's probe: it catches what stops the whole process), a timer on every event
/// loop of `group` (where connections read, write and parse), and a task on the cooperative pool (where
/// the engine's and the bot's tasks run). A sleeping thread alone was not enough: a thread that sleeps
/// is favoured by the scheduler when it wakes, so under CPU contention the meter saw 5–8 ms while the
/// busy loops waited 25 ms and more (six spinning processes on 2 cores, 2026-12-07).
///
/// Shared on purpose: owned by one timing test; the probes write the worst stall, the test reads it.
public final class HiccupMeter: Sendable {
    /// What the probes share: whether to stop, whether the thread has, the worst stall so far.
    private final class Shared: Sendable {
        let stopped = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        let worstNanoseconds = Atomic<Int64>(0)

        /// A deadline one probe reads and writes.
        final class Instant: Sendable {
            private let uptime: Atomic<UInt64>
            init(_ deadline: NIODeadline) { uptime = Atomic(deadline.uptimeNanoseconds) }
            /// Sets `deadline`, returns the one before.
            func swap(_ deadline: NIODeadline) -> NIODeadline {
                .uptimeNanoseconds(uptime.exchange(deadline.uptimeNanoseconds, ordering: .relaxed))
            }
        }

        func note(_ late: Duration) {
            let c = late.components
            worstNanoseconds.max(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000, ordering: .relaxed)
        }
    }

    private let shared = Shared()
    private let loopProbes: [RepeatedTask]
    private let taskProbe: Task<Void, Never>
    private static let interval = Duration.milliseconds(1)

    /// Starts measuring at once; stops at `stop()` or after `limit`, whichever comes first.
    public init(limit: Duration = .seconds(300), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        let shared = shared
        let deadline = ContinuousClock.now + limit
        let tick = TimeAmount.milliseconds(1)
        loopProbes = group.makeIterator().map { loop in
            // Each run asks for the next a tick after it (NIO schedules a repeated task's next run when the last ends).
            let asked = Shared.Instant(NIODeadline.now() + tick)
            return loop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { repeated in
                let now = NIODeadline.now()
                shared.note(.nanoseconds((now - asked.swap(now + tick)).nanoseconds))
                if ContinuousClock.now >= deadline { repeated.cancel() }
            }
        }
        taskProbe = Task.detached {
            while !shared.stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
                let asked = ContinuousClock.now + Self.interval
                try? await Task.sleep(until: asked)
                shared.note(asked.duration(to: .now))
            }
        }
        let thread = Thread { Self.measure(shared, until: deadline) }
        thread.name = "hiccup-meter"
        thread.start()
    }

    /// The longest stall seen so far: how much later than asked a probe woke, at its worst.
    public var worst: Duration { .nanoseconds(shared.worstNanoseconds.load(ordering: .relaxed)) }

    /// Stops the meter and returns the worst stall it saw.
    @discardableResult
    public func stop() -> Duration {
        shared.stopped.store(true, ordering: .relaxed)
        for probe in loopProbes { probe.cancel() }
        taskProbe.cancel()
        while !shared.finished.load(ordering: .acquiring) { usleep(200) }
        return worst
    }

    /// jHiccup's probe: a thread of its own sleeping 1 ms again and again.
    private static func measure(_ shared: Shared, until deadline: ContinuousClock.Instant) {
        defer { shared.finished.store(true, ordering: .releasing) }
        while !shared.stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
            let asked = ContinuousClock.now + interval
            usleep(1000)
            shared.note(asked.duration(to: .now))
        }
    }
}
