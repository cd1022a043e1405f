import LoadgenCore
import Testing

/// The console says each error class's count once, with the first body it was seen with, and the other
/// distinct bodies under it: three bodies of one class are not three classes of 79,570 each.
@Suite struct ErrorSamplesConsoleTests {
    @Test func aClassWithSeveralBodiesIsCountedOnce() {
        var r = ReportFixtures.report(ReportFixtures.metrics(replies: ReportFixtures.latencies(10, medianMs: 5, seed: 1)))
        r.errorsByClass = ["http_429": 79_570, "timeout": 3]
        r.errorSamples = ["http_429": [#"{"retryAfter":19}"#, #"{"retryAfter":18}"#]]
        let lines = ConsoleSummary.render(r).split(separator: "\n").map(String.init)
        let start = lines.firstIndex(of: #"  http_429 ×79570: {"retryAfter":19}"#)
        #expect(start != nil, "\(lines)")
        if let start { #expect(lines[start + 1] == #"           or: {"retryAfter":18}"#) }
        #expect(lines.filter { $0.contains("×79570") }.count == 1)
        #expect(!lines.contains { $0.contains("timeout ×") })  // no body kept: the count line says it
    }
}
