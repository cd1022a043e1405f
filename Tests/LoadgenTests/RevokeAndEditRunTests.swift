import Foundation
import LoadgenCore
import LoadgenRuntime
import Testing

/// A journey written in the DSL that deletes and edits what it wrote, run against the embedded reference
/// bot: every deletion is acknowledged, every edit answered as its new text, no error.
@Suite(.timeLimit(.minutes(1)))
struct RevokeAndEditRunTests {
    static let secondThoughts = Scenario("second-thoughts", summary: "Users delete and edit what they wrote.") {
        Persona("changes-mind") {
            Send.text("I need vegetables near me")
            Expect.reply(.list(containing: "vendors"))
            Send.revoke()
            Expect.reply(.contains("You deleted a message"))
            Send.edit("I need a job")
            Expect.reply(.contains("jobs"))
            Send.image(caption: "my carte jaune")
            Expect.reply(.contains("can't read image"))
            Send.edit(caption: "I need car insurance policy")
            Expect.reply(.contains("Motor insurance"))
            Send.unsupported("edit")  // how Meta delivers an edit today
            Expect.reply(.contains("Sorry, I can't read"))  // as any unsupported message
        }
    }

    @Test func aJourneyThatDeletesAndEditsRunsAgainstTheEmbeddedBotWithoutErrors() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("second-thoughts-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = RunConfig(scenario: Self.secondThoughts)
        config.concurrency = 3
        config.journeys = 2
        config.thinkTime = .zero ... .zero
        config.duration = .seconds(30)
        config.report = ReportPlan(directory: dir.path, formats: [], quiet: true)
        let outcome = try await RunDriver.run(try config.validated(), secrets: RunSecrets(), stop: StopSignal(), log: { _ in })
        let r = outcome.report
        #expect(outcome.status == .pass, "\(r.criteria.filter { !$0.passed })")
        #expect(r.totals.turns == 36 && r.totals.errors == 0, "\(r.errorsByClass.filter { $0.value > 0 })")  // 3 users × 2 journeys × 6 steps
        #expect(r.totals.journeysSucceeded == 6)
        #expect(r.replies.matched == 36 && r.replies.unsolicited == 0 && r.replies.duplicate == 0)  // each answered once
    }
}
