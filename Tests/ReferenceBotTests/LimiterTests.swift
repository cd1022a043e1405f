@testable import ReferenceBot
import Testing

/// The bot's dedup store and rate limiter, driven by explicit instants (no sleeping).
@Suite struct LimiterTests {
    let t0 = ContinuousClock.now

    @Test func dedupForgetsAfterTheTTLAndBeyondItsCapacity() {
        var d = Deduplicator(ttl: .seconds(60), capacity: 3)
        var firsts: [Bool] = []
        firsts.append(d.firstSighting(of: "a", now: t0))
        firsts.append(d.firstSighting(of: "a", now: t0 + .seconds(59)))
        firsts.append(d.firstSighting(of: "a", now: t0 + .seconds(61)))  // expired, seen afresh
        for id in ["b", "c", "d"] { firsts.append(d.firstSighting(of: id, now: t0 + .seconds(62))) }
        #expect(firsts == [true, false, true, true, true, true])
        #expect(d.count == 3)  // "a" was evicted to stay within capacity
        let again = d.firstSighting(of: "a", now: t0 + .seconds(63))
        #expect(again)
    }

    @Test func slidingWindowOf30PerMinute() {
        var limiter = RateLimiter(limit: 30, window: .seconds(60))
        let admitted = (0..<30).map { limiter.admit("u", now: t0 + .seconds($0)) }
        #expect(admitted.allSatisfy { $0 == nil })
        let retry = limiter.admit("u", now: t0 + .seconds(30))
        #expect(retry == 30)  // the oldest message (t0) leaves the window at t0 + 60 s
        let other = limiter.admit("other", now: t0 + .seconds(30))
        let later = limiter.admit("u", now: t0 + .seconds(60))
        #expect(other == nil && later == nil)
    }

    @Test func refusedMessagesDoNotUseASlot() {
        var limiter = RateLimiter(limit: 2, window: .seconds(60))
        let first = [limiter.admit("u", now: t0), limiter.admit("u", now: t0 + .seconds(1))]
        #expect(first == [nil, nil])
        let refused = (2..<10).map { limiter.admit("u", now: t0 + .seconds($0)) }
        #expect(refused.allSatisfy { $0 != nil })
        let after = limiter.admit("u", now: t0 + .seconds(60))
        #expect(after == nil)
    }

    /// The bot's intake decides a delivery at once: a message twice in one delivery is answered once,
    /// and a sender over the limit gets the whole delivery refused with nothing marked seen.
    @Test func theIntakeDecidesADeliveryAtOnce() {
        let intake = Intake(dedupTTL: .seconds(60), rateLimitPerMinute: 2)
        func message(_ id: String) -> UserMessage {
            UserMessage(phone: "250788000001", bsuid: nil, name: "Aline", wamid: id, content: .text("hi"))
        }
        let m = message("wamid.A")
        guard case .accepted(let once) = intake.admit([m, m], now: t0) else { Issue.record("refused"); return }
        #expect(once.count == 1)
        let (n, o) = (message("wamid.B"), message("wamid.C"))
        guard case .rateLimited(let retryAfter) = intake.admit([n, o], now: t0 + .seconds(1)) else { Issue.record("not limited"); return }
        #expect(retryAfter == 59)
        #expect(intake.counts.duplicates == 1 && intake.counts.rateLimited == 1 && intake.counts.processed == 1)
    }
}
