import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenRuntime
import Testing

/// Meta expects every webhook, its status webhooks too, to be acked with 200: it retries the others and
/// disables a webhook that keeps failing. A bot that answers its replies' `sent`, `delivered` and `read`
/// with 401 (its signature check done wrongly for statuses) fails the run's `status webhooks` check, and
/// with it the verdict; the same bot acking them passes it.
@Suite(.timeLimit(.minutes(1)))
struct StatusWebhooksCheckTests {
    private func run(rejectingStatuses: Bool) async throws -> (RunOutcome, accepted: Int) {
        let dir = try temporaryFolder("status-acks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try ServedFAQBot.scenarioFile(named: "faq-statuses", in: dir).path
        return try await ServedFAQBot.with(rejectsStatuses: rejectingStatuses) { target, port, bot in
            let outcome = try await Loadgen.Run.parse([
                "-f", file, "--target", target, "--health", target.replacingOccurrences(of: "/webhook", with: "/health"),
                "--graph-listen", "127.0.0.1:\(port)", "--concurrency", "2", "--journeys", "3", "--think-time", "0", "--duration", "30",
                "--quiet", "--report-dir", dir.path,
            ]).outcome(environment: ServedFAQBot.secrets)
            return (outcome, bot.statusesAccepted)
        }
    }

    @Test func aBotThatRejectsStatusWebhooksFailsTheRunAndSaysWhatItAnswered() async throws {
        let (outcome, accepted) = try await run(rejectingStatuses: true)
        let check = try #require(outcome.report.checks.first { $0.name == "status webhooks" })
        let posted = try #require(outcome.report.delivery.statusCallbacks)
        #expect(accepted == 0 && posted.sent == 0 && posted.failed >= 6, "\(posted)")
        #expect(check.status == .fail)
        #expect(check.detail.hasPrefix("\(posted.failed) of \(posted.failed) not acked 200, the first: HTTP 401"), "\(check.detail)")
        #expect(outcome.report.totals.errors == 0, "the deliveries themselves were acked: \(outcome.report.totals)")
        #expect(outcome.status == .criteriaFailed)
    }

    @Test func theSameBotAckingThemPasses() async throws {
        let (outcome, accepted) = try await run(rejectingStatuses: false)
        let check = try #require(outcome.report.checks.first { $0.name == "status webhooks" })
        let posted = try #require(outcome.report.delivery.statusCallbacks)
        #expect(check.status == .pass)
        #expect(check.detail == "acked: \(posted.sent) of \(posted.sent) acked 200", "\(check.detail)")
        #expect(accepted == posted.sent && posted.sent >= 6, "\(posted)")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }
}
