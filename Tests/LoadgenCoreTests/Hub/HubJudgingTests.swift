import Foundation
import LoadgenCore
import Synchronization
import Testing

/// What a shard makes of its hub: faults the hub injected judged as its own, turns it can no longer
/// judge counted apart from the bot's silence, timelines merged by the run's one start.
@Suite struct HubJudgingTests {
    let users = (0..<2).map { SimulatedUser(index: $0, seed: 4) }
    let clock = ContinuousClock()

    @Test func aHubInjectorHandsItsHitsOnAndAShardJudgesThem() {
        let forwarded = HitLog()
        let hub = FaultInjector(plan: [.inject(.aiServiceDown, rate: 1)], seed: 1) { forwarded.add($0, $1, $2) }
        #expect(hub.fault(at: [.llm], correlationID: "wamid.A", elapsed: .seconds(1))?.0 == .aiServiceDown)
        #expect(hub.fault(at: [.llm], correlationID: "", elapsed: .seconds(1)) != nil)
        #expect(hub.injected.isEmpty && hub.patterns(forTurn: "wamid.A").isEmpty, "the hub remembers nothing: the shards judge")
        let shard = FaultInjector(plan: [.inject(.aiServiceDown, rate: 1)], seed: 1)
        for (pattern, turn, judges) in forwarded.hits { shard.absorb(pattern, turn: turn, judgesTheTurn: judges) }
        #expect(forwarded.hits.map(\.1) == ["wamid.A", nil])
        #expect(shard.injected == [.aiServiceDown: 2] && shard.untraced == [.aiServiceDown: 1])
        #expect(shard.patterns(forTurn: "wamid.A") == [.aiServiceDown])
    }

    @Test func turnsWaitingWhenTheHubIsLostAreUnjudgedNotSilent() async {
        let c = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        c.open(user: 0, wamid: "w0")
        async let waited = c.wait(user: 0, until: clock.now + .seconds(30), on: clock)
        while c.openTurns == 0 { await Task.yield() }
        c.cutOff()
        guard case .unjudged = await waited else { Issue.record("the waiting turn was not cut off"); return }
        c.open(user: 1, wamid: "w1")  // a turn opened after: unjudged at once, not after the reply timeout
        guard case .unjudged = await c.wait(user: 1, until: clock.now + .seconds(30), on: clock) else { Issue.record("not unjudged"); return }
        let verdict = TurnVerdict.judge(TurnEvidence(failure: nil, reply: .unjudged, expected: .any, hit: [.timeout]))
        #expect(verdict.error == .hubLost && verdict.patterns.isEmpty)
    }

    @Test func aReportWrittenBeforeHubLostStillMerges() throws {
        var m = RunMetrics()
        m.countTurns(3, of: StepKey(persona: "p", step: "1"))
        m.countErrors(1, of: StepKey(persona: "p", step: "1"), .noReply)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(m)) as! [String: Any]
        json["errorCounts"] = Array((json["errorCounts"] as! [Any]).dropLast())  // as loadgen wrote it before `hub_lost`
        let old = try JSONDecoder().decode(RunMetrics.self, from: JSONSerialization.data(withJSONObject: json))
        var merged = old
        merged.merge(m)
        merged.count(.hubLost)
        #expect(merged.errors(.noReply) == 2 && merged.errors(.hubLost) == 1 && old.errors(.hubLost) == 0)
        #expect(m.headline(since: old).errors(.noReply) == 0)
    }

    @Test func shardsAreMergedOnTheRunsOneStart() throws {
        func point(_ t: Double, _ turns: UInt64) -> Timeline.Point {
            .init(t: t, activeUsers: 1, turns: turns, errors: 0, replies: turns, fallbacks: 0, errorsByClass: [:],
                  ack: .init(LatencyHistogram()), reply: .init(LatencyHistogram()), faultsOpen: [])
        }
        let timeline = Timeline(intervalSeconds: 1, points: [point(1, 2), point(2, 3)])
        var reports = try (0..<3).map { i in
            var r = ReportFixtures.report(ReportFixtures.metrics(replies: [1000]), timeline: timeline)
            r.run.shard = "\(i)/3"
            r.run.hub = Report.RunInfo.Hub(url: "http://hub:7000/", start: "t", startUnixMilliseconds: 1_000_000, clockOffsetMilliseconds: Double(i),
                                           clockUncertaintyMilliseconds: 0.1 * Double(i + 1), clockProbes: 8, lostAtSeconds: i == 2 ? 1.5 : nil)
            return try ReportFixtures.roundTrip(r)
        }
        let together = try ReportMerge.merge(reports.enumerated().map { ("\($0.offset)", $0.element) })
        #expect(together.timeline?.points.map(\.t) == [1, 2] && together.timeline?.points.map(\.turns) == [6, 9])
        #expect(together.run.hub == Report.RunInfo.Hub(url: "http://hub:7000/", start: "t", startUnixMilliseconds: 1_000_000, clockOffsetMilliseconds: nil,
                                                       clockUncertaintyMilliseconds: 0.30000000000000004, clockProbes: 24, lostAtSeconds: 1.5))
        reports[1].run.hub?.startUnixMilliseconds += 1_000  // a shard that started a second later: its points move a second on
        let apart = try ReportMerge.merge(reports.enumerated().map { ("\($0.offset)", $0.element) })
        #expect(apart.timeline?.points.map(\.t) == [1, 2, 3] && apart.timeline?.points.map(\.turns) == [4, 8, 3])
    }
}

/// Hits a hub injector forwarded, in order.
final class HitLog: Sendable {
    private let log = Mutex<[(FailurePattern, String?, Bool)]>([])
    func add(_ p: FailurePattern, _ turn: String?, _ judges: Bool) { log.withLock { $0.append((p, turn, judges)) } }
    var hits: [(FailurePattern, String?, Bool)] { log.withLock { $0 } }
}
