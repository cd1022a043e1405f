import LoadgenCore
import Testing

/// The pair-rate bucket at instants a test picks: Meta's 45 messages in a burst, then one every 6 s
/// (reference §4.5), and a refused send takes no token.
@Suite struct PacingBucketTests {
    let t0 = ContinuousClock.Instant.now

    @Test func aBurstOf45PassesTheNextWaitsSixSeconds() {
        var bucket = PacingBucket<ContinuousClock.Instant>(capacity: 45, interval: .seconds(6))
        let burst = (0..<45).map { _ in bucket.take(at: t0) }
        #expect(burst == Array(repeating: true, count: 45))
        #expect(bucket.tokens(at: t0) == 0)
        let after = [t0, t0 + .milliseconds(5_999), t0 + .seconds(6), t0 + .seconds(6)].map { bucket.take(at: $0) }
        #expect(after == [false, false, true, false])  // one token back after 6 s
        #expect(bucket.tokens(at: t0 + .seconds(12)) == 1)
        #expect(bucket.tokens(at: t0 + .seconds(6 + 270)) == 45)  // full again 45 × 6 s after the last token went
        #expect(bucket.isFull(at: t0 + .seconds(6 + 270)) && !bucket.isFull(at: t0 + .seconds(275)))
    }

    /// "A burst of 20 requires a ~2-minute wait" (Meta, reference §4.5): 20 × 6 s until the bucket is full.
    @Test func aBurstOf20BorrowsTwoMinutes() {
        var bucket = PacingBucket<ContinuousClock.Instant>(capacity: 45, interval: .seconds(6))
        for _ in 0..<20 { bucket.take(at: t0) }
        #expect(bucket.tokens(at: t0) == 25)
        #expect(bucket.tokens(at: t0 + .seconds(60)) == 35)
        #expect(!bucket.isFull(at: t0 + .seconds(119)) && bucket.isFull(at: t0 + .seconds(120)))
    }

    /// Inbound messages count toward throughput but are never refused; past an empty bucket they add no
    /// debt, so sends pass again one interval after the flood stops.
    @Test func spendingEmptiesTheBucketButRunsNoDebt() {
        var bucket = PacingBucket<ContinuousClock.Instant>(capacity: 80, interval: .seconds(1) / 80)
        for _ in 0..<1_000 { bucket.spend(at: t0) }
        #expect(bucket.tokens(at: t0) == 0 && !bucket.allows(at: t0))
        #expect(!bucket.allows(at: t0 + .milliseconds(12)))
        #expect(bucket.allows(at: t0 + .microseconds(12_500)))
        #expect(bucket.tokens(at: t0 + .seconds(1)) == 80)
    }
}
