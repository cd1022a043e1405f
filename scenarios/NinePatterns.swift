import LoadgenCore

extension BuiltInScenarios {
    /// `nine-patterns`: EasyMO's nine fallback patterns against the bot, one fault window each (14 s
    /// apart, half the calls hit), with journeys that reach every injection site: searches (LLM, listings,
    /// ranking), taps that need the session, payments, vendor notifications, agent backends, and the
    /// users' own messages. Passes when every pattern is handled gracefully for ≥ 99 % of the turns it hit.
    static let ninePatterns = Scenario(
        "nine-patterns", summary: "All nine fallback patterns, one fault window each; graceful ≥ 99 % per pattern.",
        load: .users(60, for: .seconds(140)), criteria: ["chaos.gracefulRate>=0.99", "errorRate<0.02"],
        chaos: ChaosPlan(faults: FailurePattern.allCases.enumerated().map { i, pattern in
            .inject(pattern, rate: 0.5, from: .seconds(Int64(8 + 14 * i)), to: .seconds(Int64(20 + 14 * i)))
        })
    ) {
        Persona(name: "buyer", weight: 3, journey: buyerPurchase)
        Persona(name: "rider", journey: rideRequest)
        Persona("browser") {
            Send.text("MENU")
            Expect.reply(.list(containing: "What would you like"))
            Choose.row(id: "svc_jobs")
            Expect.reply(.list(containing: "jobs"))
        }
    }

    /// `nightly-regression`: every journey of `easymo-journeys` while the nine patterns fire one window
    /// each, as in `nine-patterns`: one run, one report, a JUnit test case per criterion, journey and
    /// pattern. What `scripts/nightly-regression.sh` runs and compares with the last good run.
    static let nightlyRegression = Scenario(
        name: "nightly-regression",
        summary: "Every journey, with the nine patterns firing one window each; staging gate and graceful ≥ 99 %.",
        personas: easymoJourneys.personas, load: .users(60, for: .seconds(140)),
        criteria: ["staging", "chaos.gracefulRate>=0.99"], chaos: ninePatterns.chaos)
}
