import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOHTTP1
import Testing

@Suite struct LiveMetricsTests {
    @Test func servesTheLatestProgressAtMetricsOnly() async {
        let live = LiveMetrics(scenario: "generic", chaos: [.inject(.timeout, rate: 0.1), .inject(.timeout, rate: 0.2)])
        let before = await live.respond(to: ServerRequest(method: .GET, uri: "/metrics"))
        #expect(before.status == .ok)
        #expect(String(decoding: before.body, as: UTF8.self).hasPrefix("# loadgen: no sample yet"))

        var totals = RunMetrics()
        totals.countTurns(3, of: StepKey(persona: "user", step: "1 send text"))
        var sampler = TimelineSampler(interval: .seconds(1))
        let point = sampler.sample(totals, at: .seconds(1), activeUsers: 2, faultsOpen: [])
        await live.update(Progress(elapsed: .seconds(1), duration: .seconds(10), activeUsers: 2, metrics: totals, latest: point, interval: .seconds(1)))
        let after = await live.respond(to: ServerRequest(method: .GET, uri: "/metrics"))
        let text = String(decoding: after.body, as: UTF8.self)
        #expect(after.headers.first(name: "Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(text.contains("loadgen_turns_total{scenario=\"generic\"} 3\n"))
        #expect(text.components(separatedBy: "loadgen_fault_window_open{").count == 2)  // one gauge per pattern

        #expect(await live.respond(to: ServerRequest(method: .GET, uri: "/")).status == .notFound)
        #expect(await live.respond(to: ServerRequest(method: .POST, uri: "/metrics")).status == .notFound)
    }
}
