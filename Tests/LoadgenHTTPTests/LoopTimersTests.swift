import Foundation
import LoadgenCore
@testable import LoadgenHTTP
import LoadgenRuntime
import Wire
import Testing

/// The process's sleeps: never early, cancelled at once, every sleeper woken, the heap in order.
@Suite(.timeLimit(.minutes(1)))
struct LoopTimersTests {
    @Test func sleepersWakeNoEarlierThanTheirDeadlines() async {
        let start = ContinuousClock.now
        let deadlines = (0..<200).map { start + .milliseconds(($0 * 37) % 50 + 1) }
        let woke = await withTaskGroup(of: (ContinuousClock.Instant, ContinuousClock.Instant).self) { group in
            for deadline in deadlines {
                group.addTask { await LoopTimers.shared.sleep(until: deadline); return (deadline, .now) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(woke.count == deadlines.count)
        for (deadline, at) in woke { #expect(at >= deadline) }
    }

    @Test func aCancelledSleepReturnsAtOnce() async {
        let start = ContinuousClock.now
        let sleeper = Task { await LoopTimers.shared.sleep(for: .seconds(600)); return ContinuousClock.now }
        await LoopTimers.shared.sleep(for: .milliseconds(5))
        sleeper.cancel()
        let returned = await sleeper.value
        #expect(returned - start < .seconds(30))  // nowhere near its 600 s deadline
        // A sleep asked for from a task already cancelled does not wait either.
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await LoopTimers.shared.sleep(for: .seconds(600))
        }
        await late.value
    }

    @Test func aFiledSleepEndsWhenWokenAndAStaleWakeDoesNothing() async throws {
        let start = ContinuousClock.now
        let wakes = WakeBox()
        let sleeper = Task {
            await LoopTimers.shared.sleep(until: .now + .seconds(600)) { wake in wakes.set(wake) }
            return ContinuousClock.now
        }
        while wakes.get() == nil { await Task.yield() }
        wakes.get()?()
        #expect(await sleeper.value - start < .seconds(30))
        // The wake of a sleep that has ended does not end the next one.
        let stale = try #require(wakes.get())
        let nextStart = ContinuousClock.now
        let next = Task { await LoopTimers.shared.sleep(for: .milliseconds(20)); return ContinuousClock.now }
        stale()
        #expect(await next.value - nextStart >= .milliseconds(20))
    }

    @Test func aPastDeadlineReturnsImmediately() async {
        await LoopTimers.shared.sleep(until: .now - .seconds(1))
        await LoopTimers.shared.sleep(for: .zero)
    }

    @Test func theClockThrowsWhenCancelled() async {
        let sleeper = Task { () -> Bool in
            do { try await WallClock.loops.sleep(until: .now + .seconds(600)); return false } catch { return error is CancellationError }
        }
        sleeper.cancel()
        #expect(await sleeper.value)
    }

    @Test func theHeapPopsInOrder() {
        var heap = MinHeap<Int>()
        var seed: UInt64 = 42
        var values: [Int] = []
        for _ in 0..<1000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let v = Int(seed >> 40)
            values.append(v)
            heap.push(v)
        }
        var popped: [Int] = []
        while let first = heap.first { popped.append(first); heap.popFirst() }
        #expect(popped == values.sorted())
    }

    /// Pushes and pops interleaved, with repeated values, against a sorted list.
    @Test func theHeapStaysOrderedAsItChanges() {
        var heap = MinHeap<Int>()
        var reference: [Int] = []
        var seed: UInt64 = 7
        for _ in 0..<5000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            if seed >> 62 == 0, !reference.isEmpty {
                #expect(heap.popFirst() == reference.removeFirst())
            } else {
                let v = Int(seed >> 54)  // 0..<1024: many repeats
                heap.push(v)
                reference.insert(v, at: reference.firstIndex { $0 > v } ?? reference.count)
            }
            #expect(heap.first == reference.first)
            #expect(heap.count == reference.count)
        }
    }
}

/// Hands a wake function from the sleeping task to the test.
private final class WakeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var wake: (@Sendable () -> Void)?
    func set(_ w: @escaping @Sendable () -> Void) { lock.withLock { wake = w } }
    func get() -> (@Sendable () -> Void)? { lock.withLock { wake } }
}
