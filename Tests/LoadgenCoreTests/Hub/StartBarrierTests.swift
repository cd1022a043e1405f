import LoadgenCore
import Testing

/// One start for every shard: the last one ready names it; each shard joins once; late comers are told.
@Suite struct StartBarrierTests {
    @Test func theLastShardReadyNamesTheStartForAll() {
        var barrier = StartBarrier(shards: 3, rule: .whenAllReady(lead: .seconds(2)))
        for i in 0..<3 { #expect(barrier.join(Shard(index: i, count: 3)!, now: 0) == nil) }
        #expect(barrier.ready(0, now: 10) == .wait)
        #expect(barrier.ready(2, now: 20) == .wait)
        #expect(barrier.ready(1, now: 30) == .start(2_000_000_030))
        #expect(barrier.start == 2_000_000_030)
        #expect(barrier.join(Shard(index: 1, count: 3)!, now: 40) == "the run has begun; shard 1/3 is too late to join it")
    }

    @Test func aShardJoinsOnceAndOnlyForItsRun() {
        var barrier = StartBarrier(shards: 2, rule: .whenAllReady(lead: .zero))
        #expect(barrier.join(Shard(index: 0, count: 3)!, now: 0) == "this hub serves 2 shards; this shard is 0/3 (give --shard I/2)")
        #expect(barrier.join(Shard(index: 0, count: 2)!, now: 0) == nil)
        #expect(barrier.join(Shard(index: 0, count: 2)!, now: 0) == "shard 0/2 is already connected to this hub")
        #expect(barrier.ready(0, now: 1) == .wait)
        barrier.left(0, now: 2)  // before the start: its place is free, and its readiness gone
        #expect(barrier.connected == 0)
        #expect(barrier.join(Shard(index: 1, count: 2)!, now: 3) == nil)
        #expect(barrier.ready(1, now: 4) == .wait)
        #expect(barrier.join(Shard(index: 0, count: 2)!, now: 5) == nil)
        #expect(barrier.ready(0, now: 6) == .start(6))
        barrier.left(0, now: 7)  // after it: the place stays taken
        #expect(barrier.connected == 2)
    }

    @Test func aFixedStartTakesWhoeverIsReadyByThen() {
        var barrier = StartBarrier(shards: 3, rule: .at(1_000))
        #expect(barrier.join(Shard(index: 0, count: 3)!, now: 0) == nil)
        #expect(barrier.ready(0, now: 10) == .start(1_000))
        #expect(barrier.join(Shard(index: 1, count: 3)!, now: 500) == nil)
        #expect(barrier.ready(1, now: 1_200) == .late(1_000))
        #expect(barrier.join(Shard(index: 2, count: 3)!, now: 1_000) == "the run began at the --start-at time; shard 2/3 is too late to join it")
    }
}
