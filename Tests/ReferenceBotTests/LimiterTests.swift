@testable import ReferenceBot
import Testing

/// The bot's dedup store and rate limiter, driven by explicit instants (no sleeping).
@Suite struct LimiterTests {
    let t0 = ContinuousClock.now

    @Test func dedupForgetsAfterTheTTLAndBeyondItsCapacity() {
        let d = Deduplicator(ttl: .seconds(60), capacity: 3)
        #expect(d.firstSighting(of: "a", now: t0))
        #expect(!d.firstSighting(of: "a", now: t0 + .seconds(59)))
        #expect(d.firstSighting(of: "a", now: t0 + .seconds(61)))  // expired, seen afresh
        for id in ["b", "c", "d"] { #expect(d.firstSighting(of: id, now: t0 + .seconds(62))) }
        #expect(d.count == 3)  // "a" was evicted to stay within capacity
        #expect(d.firstSighting(of: "a", now: t0 + .seconds(63)))
    }

    @Test func slidingWindowOf30PerMinute() {
        let limiter = RateLimiter(limit: 30, window: .seconds(60))
        for i in 0..<30 { #expect(limiter.admit("u", now: t0 + .seconds(i)) == nil) }
        let retry = limiter.admit("u", now: t0 + .seconds(30))
        #expect(retry == 30)  // the oldest message (t0) leaves the window at t0 + 60 s
        #expect(limiter.admit("other", now: t0 + .seconds(30)) == nil)
        #expect(limiter.admit("u", now: t0 + .seconds(60)) == nil)
    }

    @Test func refusedMessagesDoNotUseASlot() {
        let limiter = RateLimiter(limit: 2, window: .seconds(60))
        #expect(limiter.admit("u", now: t0) == nil)
        #expect(limiter.admit("u", now: t0 + .seconds(1)) == nil)
        for s in 2..<10 { #expect(limiter.admit("u", now: t0 + .seconds(s)) != nil) }
        #expect(limiter.admit("u", now: t0 + .seconds(60)) == nil)
    }
}
