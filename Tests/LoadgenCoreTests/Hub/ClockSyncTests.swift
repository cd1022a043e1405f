import LoadgenCore
import Testing

/// NTP's estimate from round trips: the offset is right to within half the shortest round trip.
@Suite struct ClockSyncTests {
    @Test func theShortestRoundTripBoundsTheOffsetBest() {
        var sync = ClockSync()
        #expect(sync.best == nil && sync.shardTime(ofHub: 5) == 5)
        // The shard's clock is 1 000 000 ns ahead of the hub's; legs of 300/500 ns, then 50/50, then 10/990.
        sync.add(sent: 10_000, hub: 10_300 - 1_000_000, received: 10_800)
        #expect(sync.best == .init(offset: 1_000_100, uncertainty: 400))
        sync.add(sent: 20_000, hub: 20_050 - 1_000_000, received: 20_100)
        #expect(sync.best == .init(offset: 1_000_000, uncertainty: 50))
        sync.add(sent: 30_000, hub: 30_010 - 1_000_000, received: 31_000)
        #expect(sync.best == .init(offset: 1_000_000, uncertainty: 50), "a slower probe does not replace a better one")
        #expect(sync.samples == 3)
        #expect(sync.shardTime(ofHub: 0) == 1_000_000)
    }

    @Test func whateverTheLegsTookTheTruthIsWithinTheBound() {
        for (up, down) in [(0, 1000), (1000, 0), (250, 750), (500, 500)] as [(Int64, Int64)] {
            var sync = ClockSync()
            let truth: Int64 = -123_456
            sync.add(sent: 0, hub: up - truth, received: up + down)
            let best = sync.best!
            #expect(abs(best.offset - truth) <= best.uncertainty, "legs \(up)/\(down): \(best)")
        }
    }

    @Test func anAnswerBeforeItsQuestionIsIgnored() {
        var sync = ClockSync()
        sync.add(sent: 100, hub: 0, received: 99)
        #expect(sync.best == nil && sync.samples == 0)
    }
}
