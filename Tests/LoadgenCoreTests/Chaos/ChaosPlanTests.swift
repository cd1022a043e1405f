import LoadgenCore
import Testing

@Suite struct ChaosPlanTests {
    @Test func theNinePatternsInTheReleaseNotesOrder() {
        #expect(FailurePattern.allCases.map(\.rawValue) == [
            "agent-unavailable", "ai-service-down", "context-lost", "invalid-input", "timeout", "no-results",
            "payment-failure", "network-issues", "vendor-unavailable",
        ])
        #expect(FailurePattern.allCases.map(\.number) == Array(1...9))
    }

    @Test func expectationsRecogniseEasyMOsGracefulWording() {
        let cases: [(FailurePattern, String)] = [
            (.agentUnavailable, "This service is currently not available. Please try again later."),
            (.aiServiceDown, "Showing top-rated vendors near you"),
            (.contextLost, "Your session expired or couldn't be found. Please start a new search."),
            (.invalidInput, "📍 Please share your pickup location, for example with the 📎 button."),
            (.timeout, "Here are the top vendors so far"),
            (.noResults, "😔 No vendors found at this moment. Try browsing manually."),
            (.paymentFailure, "Payment processing unavailable. Please try another method."),
            (.networkIssues, "We're busy right now, please try again in a minute."),
            (.vendorUnavailable, "That vendor can't be reached; here are the nearest alternatives."),
        ]
        for (pattern, text) in cases {
            #expect(pattern.expected.matches(BotReply(type: "text", text: text)), "\(pattern.rawValue)")
            #expect(!pattern.expected.matches(BotReply(type: "text", text: "Internal Server Error")), "\(pattern.rawValue)")
        }
    }

    @Test func parsesTheCommandLineForm() throws {
        let plan = try ChaosPlan.parse("ai-service-down=0.2@60s-120s,timeout=10%,network-issues=1@2m")
        #expect(plan.faults.map(\.pattern) == [.aiServiceDown, .timeout, .networkIssues])
        #expect(plan.faults[0].schedule == FaultSchedule(rate: 0.2, window: .seconds(60) ..< .seconds(120)))
        #expect(plan.faults[1].schedule == FaultSchedule(rate: 0.1))
        #expect(plan.faults[2].schedule.window?.lowerBound == .seconds(120))
        #expect(plan.faults[0].shape == .status(500))  // the pattern's default fault
    }

    @Test func parseErrorsWordForWord() {
        #expect(throws: ChaosPlanError.unknownPattern("ai-down", known: FailurePattern.allCases.map(\.rawValue))) {
            try ChaosPlan.parse("ai-down=0.2")
        }
        #expect(ChaosPlanError.unknownPattern("x", known: ["timeout"]).description
            == "unknown failure pattern 'x' (patterns: timeout; see 'loadgen list patterns')")
        #expect(throws: ChaosPlanError.badRate("timeout=2")) { try ChaosPlan.parse("timeout=2") }
        #expect(ChaosPlanError.badRate("timeout=2").description
            == "the rate in 'timeout=2' must be a fraction from 0 to 1 or a percentage, e.g. 0.2 or 20%")
        #expect(throws: ChaosPlanError.badWindow("timeout=0.1@90s-30s")) { try ChaosPlan.parse("timeout=0.1@90s-30s") }
        #expect(throws: ChaosPlanError.badItem("timeout")) { try ChaosPlan.parse("timeout") }
        #expect(throws: ChaosPlanError.empty) { try ChaosPlan.parse("timeout=0.1,") }
    }
}

/// Fault scheduling is pure: decisions at chosen instants, no clock, no sleeping.
@Suite struct FaultScheduleTests {
    let s = FaultSchedule(rate: 0.2, window: .seconds(60) ..< .seconds(120))

    @Test func phasesSplitTheRun() {
        #expect(s.phase(at: .seconds(59)) == .baseline)
        #expect(s.phase(at: .seconds(60)) == .fault)
        #expect(s.phase(at: .milliseconds(119_999)) == .fault)
        #expect(s.phase(at: .seconds(120)) == .recovery)
        #expect(FaultSchedule(rate: 1).phase(at: .zero) == .fault)
    }

    @Test func injectsOnlyInsideTheWindowAtTheRate() {
        #expect(!s.injects(at: .seconds(30), roll: 0))
        #expect(s.injects(at: .seconds(90), roll: 0.19))
        #expect(!s.injects(at: .seconds(90), roll: 0.2))
        #expect(!s.injects(at: .seconds(150), roll: 0))
        // Over many draws the share hit is the rate.
        var random = SeededRandom(seed: 4)
        let hits = (0..<100_000).filter { _ in s.injects(at: .seconds(90), roll: random.nextFraction()) }.count
        #expect(abs(Double(hits) / 100_000 - 0.2) < 0.005)
    }

    @Test func rampsUpLinearly() {
        let ramp = FaultSchedule(rate: 0.8, window: .seconds(10) ..< .seconds(60), rampUp: .seconds(20))
        #expect(ramp.rate(at: .seconds(10)) == 0)
        #expect(abs(ramp.rate(at: .seconds(20)) - 0.4) < 1e-9)
        #expect(ramp.rate(at: .seconds(40)) == 0.8)
    }
}

/// Phases and recovery points of a plan with several windows.
@Suite struct ChaosPhaseTests {
    let plan: ChaosPlan = [
        .inject(.aiServiceDown, rate: 0.5, from: .seconds(10), to: .seconds(20)),
        .inject(.timeout, rate: 0.5, from: .seconds(30), to: .seconds(40)),
    ]

    @Test func phasesAcrossWindows() {
        #expect(plan.phase(at: .seconds(5)) == .baseline)
        #expect(plan.phase(at: .seconds(15)) == .fault)
        #expect(plan.phase(at: .seconds(25)) == .recovery)  // after the first window, before the second
        #expect(plan.phase(at: .seconds(35)) == .fault)
        #expect(plan.phase(at: .seconds(45)) == .recovery)
    }

    @Test func recoveryIsMeasuredFromEachClosedWindow() {
        #expect(plan.recoveryCandidates(at: .seconds(15)).isEmpty)
        let at22 = plan.recoveryCandidates(at: .seconds(22))
        #expect(at22.map(\.fault) == [0] && at22.map(\.after) == [.seconds(2)])
        let at41 = plan.recoveryCandidates(at: .milliseconds(41_500))
        #expect(at41.map(\.fault) == [0, 1] && at41.map(\.after) == [.milliseconds(21_500), .milliseconds(1_500)])
    }

    @Test func phaseDurationsAddUpToTheRun() {
        let d = plan.phaseDurations(upTo: .seconds(50))
        #expect(d[.baseline] == .seconds(10))
        #expect(d[.fault] == .seconds(20))
        #expect(d[.recovery] == .seconds(20))  // 20–30 s and 40–50 s
        #expect(plan.phaseDurations(upTo: .seconds(15)) == [.baseline: .seconds(10), .fault: .seconds(5)])
    }

    @Test func phaseReportsCarryErrorClassesAndRates() {
        var m = RunMetrics()
        m.phases[.fault, default: PhaseStats()].turns = 40
        m.phases[.fault, default: PhaseStats()].errors = 3
        m.phases[.fault, default: PhaseStats()].errorsByClass = ["no_reply": 2, "http_5xx": 1]
        m.phases[.baseline, default: PhaseStats()].turns = 25
        let info = Report.RunInfo(
            scenario: "s", target: "t", embeddedBot: true, concurrency: 1, model: .closed, ratePerSecond: nil, durationSeconds: 50,
            elapsedSeconds: 50, thinkTimeSeconds: [0, 0], replyTimeoutSeconds: 10, replies: .any, seed: 1, graphAPI: "g",
            business: .default, criteria: [], startedAt: "", loadgenVersion: "")
        let r = Report(run: info, metrics: m, correlation: CorrelationCounters(), evaluation: evaluate([], against: Observations(metrics: m, repliesMeasured: true)),
                       checks: [], partial: false, chaos: plan)
        #expect(r.phases["fault"]?.errorsByClass == ["no_reply": 2, "http_5xx": 1])
        #expect(r.phases["fault"]?.seconds == 20)
        #expect(r.phases["fault"]?.throughput == 2)
        #expect(r.phases["baseline"]?.throughput == 2.5)
    }

    @Test func reportsKeepTheWindowsTheyRanWith() throws {
        let plan = try ChaosPlan.parse("timeout=0.1@60s-,ai-service-down=0.2@10s-20s,no-results=5%")
        let windows = plan.faults.map(Report.ChaosWindow.init)
        #expect(windows.map(\.startSeconds) == [60, 10, nil])
        #expect(windows.map(\.endSeconds) == [nil, 20, nil])
        #expect(windows.compactMap(\.fault).map(\.schedule) == plan.faults.map(\.schedule))
    }
}
