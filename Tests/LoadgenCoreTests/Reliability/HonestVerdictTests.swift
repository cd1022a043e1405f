import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LoadgenCore
import Testing

/// Verdicts that used to pass on what did not happen: a planned fault that never fired, an open model
/// that dropped its arrivals, a failing JUnit testcase beside a passing exit code. One truth now for
/// the exit code, the summary and JUnit.
struct HonestVerdictTests {
    let sets = try! CriteriaSet.parse("staging")

    /// `--scenario nine-patterns --duration 40`: six of the nine windows open after the run ended.
    @Test func aPlannedFaultThatNeverFiredFailsTheRun() {
        let plan: ChaosPlan = [.inject(.timeout, rate: 0.5, from: .seconds(10), to: .seconds(20)),
                               .inject(.noResults, rate: 0.5, from: .seconds(60), to: .seconds(70))]
        var m = ReportFixtures.metrics(replies: Array(repeating: 5_000, count: 100))
        m.patterns[.timeout] = ReportFixtures.pattern(injected: 10, graceful: 10)
        let e = evaluate(sets, against: Observations(metrics: m, repliesMeasured: true, chaos: plan, elapsed: .nanoseconds(40_120_093_229)))
        #expect(e.verdict == .fail)
        let unfired = e.checks.first { $0.name == "chaos.injected[no-results]" }
        #expect(unfired?.preset == "plan" && unfired?.status == .fail)
        #expect(unfired?.note == "planned, never injected: its window opens at 1m, the run lasted 40.1s")
        #expect(e.checks.first { $0.name == "chaos.injected[timeout]" }?.status == .pass)
    }

    /// 904 of 2,000 planned arrivals dropped used to pass the staging gate.
    @Test func droppedArrivalsFailTheStagingGate() {
        var m = ReportFixtures.metrics(replies: Array(repeating: 5_000, count: 1_096))
        (m.arrivalsPlanned, m.arrivalsLaunched, m.arrivalsDropped) = (2_000, 1_096, 904)
        let e = evaluate(sets, against: Observations(metrics: m, repliesMeasured: true))
        #expect(e.verdict == .fail)
        #expect(e.checks.first { $0.name == "arrivals.dropped" }?.actual == 904)
    }

    /// A pattern handled 0 % gracefully fails junit.xml's testcase and the verdict alike.
    @Test func aFailingPatternTestcaseIsAFailingVerdict() throws {
        var m = ReportFixtures.metrics(replies: Array(repeating: 5_000, count: 100))
        m.patterns[.aiServiceDown] = ReportFixtures.pattern(injected: 20, graceful: 0, silent: 20)
        let report = ReportFixtures.report(m, chaos: [.inject(.aiServiceDown, rate: 0.2)])
        #expect(report.verdict == .fail)
        let doc = try XMLDocument(data: Data(JUnitReport.render(report).utf8))
        let failed = try doc.nodes(forXPath: "//testcase[failure]/@name").compactMap(\.stringValue)
        #expect(failed == ["ai-service-down"])  // the pattern's case is its criterion, once
    }

    /// A scripted check that failed (the generator fell behind, a shard lost its hub) used to pass every preset
    /// but `staging` and `smoke`: with `--criteria prod`, a run whose numbers were loadgen's own queue passed.
    @Test func aFailedScriptedCheckFailsTheRunWhateverWasAsked() throws {
        let m = ReportFixtures.metrics(replies: Array(repeating: 5_000, count: 100))
        for criteria in ["prod", "promote", "meta-webhook", "reply.p95<1s"] {
            let e = evaluate(try CriteriaSet.parse(criteria),
                             against: Observations(metrics: m, repliesMeasured: true, healthOK: true, checksFailed: 1))
            #expect(e.verdict == .fail, "\(criteria)")
            let derived = e.checks.filter { $0.name == "checks.failed" }
            #expect(derived.map(\.preset) == ["checks"] && derived.first?.actual == 1, "\(criteria)")
            #expect(evaluate(try CriteriaSet.parse(criteria), against: Observations(metrics: m, repliesMeasured: true, healthOK: true)).verdict
                == .pass, "\(criteria)")
        }
        // A criterion on checks.failed the user wrote (or a preset's) takes the derived one's place.
        let tolerant = evaluate(try CriteriaSet.parse("prod,checks.failed<=1"), against: Observations(metrics: m, repliesMeasured: true,
                                                                                                   healthOK: true, checksFailed: 1))
        #expect(tolerant.verdict == .pass && !tolerant.checks.contains { $0.preset == "checks" })
        #expect(!evaluate(sets, against: Observations(metrics: m, repliesMeasured: true)).checks.contains { $0.preset == "checks" })
    }

    /// With several journeys, each is held to the run's error rate: a broken one cannot hide in the average.
    @Test func eachJourneyIsHeldToTheErrorRate() {
        var m = ReportFixtures.metrics(replies: Array(repeating: 5_000, count: 990), persona: "buyer")
        m.merge(ReportFixtures.metrics(replies: Array(repeating: 5_000, count: 6), errors: 4, persona: "driver"))
        let e = evaluate(sets, against: Observations(metrics: m, repliesMeasured: true))
        #expect(e.checks.first { $0.name == "errorRate" }?.status == .pass)  // 0.4 % of the whole run
        #expect(e.checks.first { $0.name == "errorRate[driver]" }?.status == .fail)  // 40 % of the driver's
        #expect(e.verdict == .fail)
    }
}

/// `loadgen merge` of crafted or foreign reports: refused with the reason, never a trap.
struct MergeRefusalTests {
    func report() throws -> Report {
        try ReportFixtures.roundTrip(ReportFixtures.report(ReportFixtures.metrics(replies: [5_000, 6_000])))
    }

    @Test func aReportOfAnotherSchemaVersionIsRefused() throws {
        var future = try report()
        future.schemaVersion = 99
        #expect(throws: MergeError.schemaVersion("b.json", 99)) { try ReportMerge.merge([("a.json", try report()), ("b.json", future)]) }
    }

    @Test func countsThatWouldOverflowAreRefused() throws {
        var huge = try report()
        huge.metrics?.turns = .max - 1
        do {
            _ = try ReportMerge.merge([("a.json", huge), ("b.json", huge)])
            Issue.record("merged counts past UInt64.max")
        } catch {
            guard case .overflow(let counter) = error else { Issue.record("\(error)"); return }
            #expect(counter.contains("turns"))
        }
    }
}
