import LoadgenCore
import Testing

@Suite struct ProgressLineTests {
    @Test func theLineSaysWhereTheRunIsAndWhatIsOpen() {
        var totals = RunMetrics()
        let key = StepKey(persona: "buyer", step: "1 send text")
        totals.countTurns(300, of: key)
        totals.countErrors(3, of: key, .noReply)
        for _ in 0..<297 { totals.reply.record(.milliseconds(4)) }
        var sampler = TimelineSampler(interval: .seconds(1))
        let point = sampler.sample(totals, at: .seconds(30), activeUsers: 100, faultsOpen: ["ai-service-down", "timeout"])
        let line = ProgressLine.render(Progress(elapsed: .seconds(30), duration: .seconds(300), activeUsers: 100, metrics: totals,
                                                latest: point, interval: .seconds(1)))
        #expect(line == "[  30s/300s] 100 users · 300 turns (10/s, now 300/s) · errors 3 (1 %) · reply p95 4 ms · faults open: ai-service-down, timeout")
    }
}
