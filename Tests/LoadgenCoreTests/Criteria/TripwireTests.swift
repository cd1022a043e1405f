import LoadgenCore
import Testing

/// Rollback tripwires judged on a sliding window of the running totals.
struct TripwireTests {
    /// Running totals with `turns` turns, `errors` of them 5xx, and `replies` replies at `ms` each.
    func totals(turns: UInt64, errors: UInt64, replies: UInt64 = 0, ms: Int = 10) -> RunMetrics {
        var m = RunMetrics()
        m.turns = turns
        m.errorTurns = errors
        m.count(.http5xx, errors)
        m.replies = replies
        for _ in 0..<replies { m.reply.record(.milliseconds(ms)) }
        return m
    }

    @Test func itJudgesTheLastWindowNotTheWholeRun() throws {
        var tripwire = try #require(Tripwire(sets: try CriteriaSet.parse("rollback")))
        #expect(tripwire.observe(totals(turns: 10_000, errors: 0), at: .seconds(10)) == nil)
        #expect(tripwire.observe(totals(turns: 10_300, errors: 0), at: .seconds(20)) == nil)
        // 600 turns since 10 s, 60 failed: 10 % over the window; the whole run is at 0.57 %.
        let fired = tripwire.observe(totals(turns: 10_600, errors: 60), at: .seconds(40))
        let trip = try #require(fired)
        #expect(trip.criterion == "errorRate" && trip.threshold == "<= 5 %")
        #expect(trip.actual == 0.1 && trip.actualText == "10 %")
        #expect(trip.windowSeconds == 30 && trip.turns == 600 && trip.atSeconds == 40)
        #expect(trip.description == "rollback tripwire errorRate <= 5 % fired at 40 s: 10 % over the last 30 s (600 turns); no turn started after it")
    }

    @Test func tooFewTurnsCannotTripIt() throws {
        var tripwire = try #require(Tripwire(sets: try CriteriaSet.parse("rollback")))
        #expect(tripwire.observe(totals(turns: 1, errors: 1), at: .seconds(1)) == nil)  // one early error of one turn
        #expect(tripwire.observe(totals(turns: 19, errors: 19), at: .seconds(2)) == nil)
        let fired = tripwire.observe(totals(turns: 20, errors: 20), at: .seconds(3))
        #expect(fired?.turns == 20)
    }

    @Test func latencyIsJudgedOnTheWindowsOwnHistogram() throws {
        var tripwire = try #require(Tripwire(sets: try CriteriaSet.parse("rollback")))
        var slow = totals(turns: 100, errors: 0, replies: 100, ms: 10)
        #expect(tripwire.observe(slow, at: .seconds(5)) == nil)
        slow.turns += 100
        slow.replies += 100
        for _ in 0..<100 { slow.reply.record(.milliseconds(3000)) }
        let fired = tripwire.observe(slow, at: .seconds(10))
        let trip = try #require(fired)
        #expect(trip.criterion == "reply.p95" && trip.actual >= 2999)
    }

    @Test func onlyRollbackSetsWithWindowedMetricsAreWatched() throws {
        #expect(Tripwire(sets: try CriteriaSet.parse("staging,prod")) == nil)  // gates are judged at the end
        #expect(Tripwire(sets: [CriteriaSet(name: "x", criteria: [Criterion(.health, .atLeast, 1)], onFailure: .rollback)]) == nil)
        let ackOnly = try #require(Tripwire(sets: try CriteriaSet.parse("rollback"), repliesMeasured: false))
        #expect(ackOnly.watched.map(\.criterion.name) == ["errorRate"])  // fallback and reply p95 need replies
    }
}
