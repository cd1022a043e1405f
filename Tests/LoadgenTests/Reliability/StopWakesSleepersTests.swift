@testable import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import Testing

/// A stop signal ends every engine sleep at once, on each clock the engine runs on: the runtime's
/// `WallClock` on the loop timers (which wakes the sleeper's timer entry, no task of its own) and the default of any other
/// clock (a task group), here the virtual clock.
@Suite(.timeLimit(.minutes(1)))
struct StopWakesSleepersTests {
    @Test func aStopEndsAWallClockSleepFiledBeforeOrAfterIt() async {
        let start = ContinuousClock.now
        let stop = StopSignal()
        let sleepers = (0..<50).map { _ in Task { await WallClock.loops.sleep(until: .now + .seconds(600), or: stop) } }
        await LoopTimers.shared.sleep(for: .milliseconds(5))
        stop.trigger()
        for s in sleepers { await s.value }
        await WallClock.loops.sleep(until: .now + .seconds(600), or: stop)  // fired before: returns at once
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func aWallClockSleepThatEndsByItselfLeavesNoRegistration() async {
        let stop = StopSignal()
        let start = ContinuousClock.now
        await WallClock.loops.sleep(until: .now + .milliseconds(5), or: stop)
        #expect(ContinuousClock.now - start >= .milliseconds(5))
        #expect(stop.waiting == 0)  // a sleep that ended by itself leaves no registration behind
    }

    @Test func aStopEndsAVirtualSleep() async {
        await VirtualTime.run { clock in
            let stop = StopSignal()
            let start = clock.now
            async let slept: Void = stop.sleep(until: start.advanced(by: .seconds(600)), on: clock)
            try? await clock.sleep(until: start.advanced(by: .seconds(1)))
            stop.trigger()
            await slept
            #expect(start.duration(to: clock.now) == .seconds(1))
        }
    }
}
