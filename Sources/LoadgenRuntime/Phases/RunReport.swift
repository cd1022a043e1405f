import Foundation
import LoadgenCore

/// The report of a run: what ran and against what, everything measured, the checks, the verdict.
enum RunReport {
    /// Judges `result` by the plan's criteria and builds report.json's value.
    static func make(
        _ rig: Rig, result: RunResult, checks: [Report.ScriptedCheck], healthOK: Bool?, startedAt: Date, smoke: SmokeReport? = nil,
        graphProxy: Report.RunInfo.GraphProxy? = nil
    ) -> Report {
        let plan = rig.plan
        let w = plan.workload
        let observations = Observations(metrics: result.metrics, repliesMeasured: w.replies.awaitsReplies, healthOK: healthOK,
                                        checksFailed: checks.filter { $0.status == .fail }.count, correlation: rig.correlator.counters,
                                        chaos: w.chaos, untraced: rig.injector?.untraced ?? [:], elapsed: result.elapsed,
                                        tripped: result.tripped)
        var run = Self.info(rig, result: result, startedAt: startedAt)
        run.graphProxy = graphProxy
        var report = Report(run: run, metrics: result.metrics,
                            correlation: rig.correlator.counters, evaluation: evaluate(plan.criteria, against: observations), checks: checks,
                            partial: result.partial, chaos: w.chaos, timeline: result.timeline, untraced: rig.injector?.untraced ?? [:])
        report.smoke = smoke
        report.delivery.statusCallbacks = rig.statusCallbacks.map { s in
            let c = s.delivered
            return Report.StatusCallbackCounts(sent: c.sent, failed: c.failed, dropped: c.dropped)
        }
        return report
    }

    private static func info(_ rig: Rig, result: RunResult, startedAt: Date) -> Report.RunInfo {
        let plan = rig.plan
        let w = plan.workload
        var rate: Double?
        if case .open(let schedule, _) = w.model { rate = (schedule.meanRate * 1000).rounded() / 1000 }
        var info = Report.RunInfo(
            scenario: w.scenario.name, target: rig.target.description, embeddedBot: rig.embedded, concurrency: w.users.count,
            model: w.model.name, ratePerSecond: rate, durationSeconds: w.duration.inSeconds,
            elapsedSeconds: (result.elapsed.inSeconds * 1000).rounded() / 1000,
            thinkTimeSeconds: [w.thinkTime.lowerBound.inSeconds, w.thinkTime.upperBound.inSeconds],
            replyTimeoutSeconds: w.replyTimeout.inSeconds, replies: w.replies, seed: w.seed, graphAPI: rig.graphAPI,
            business: w.business, criteria: plan.criteria.map(\.name), criteriaSpec: plan.criteriaText,
            startedAt: ISO8601DateFormatter().string(from: startedAt), loadgenVersion: loadgenVersion)
        info.shard = plan.shard?.description
        info.users = plan.usersFile.map { Report.RunInfo.Users(file: $0, count: w.users.count, numbers: w.users.prefix(1000).map(\.phone)) }
        return info
    }
}

/// The version printed by `--version` and recorded in reports.
public let loadgenVersion = "0.2.0"
