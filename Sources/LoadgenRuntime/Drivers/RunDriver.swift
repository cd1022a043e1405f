import Foundation
import LoadgenCore
import LoadgenHTTP

/// What a run left behind.
public struct RunOutcome: Sendable {
    public var report: Report
    /// report.json first, then the other formats written.
    public var reportPaths: [String]
    public var status: ExitStatus

    /// report.json.
    public var reportPath: String { reportPaths.first ?? "" }
}

/// `loadgen run`: the preflight (handshake, health), the measured load, the report.
///
/// ```swift
/// let plan = try RunConfig(scenario: BuiltInScenarios.generic).validated()
/// let outcome = try await RunDriver.run(plan, secrets: RunSecrets(), stop: StopSignal(), log: { print($0) })
/// ```
public enum RunDriver {
    public static func run(_ plan: RunPlan, secrets: RunSecrets, stop: StopSignal, log: @escaping Log) async throws(LoadgenFailure) -> RunOutcome {
        let startedAt = Date()
        let rig = try await Rig.assemble(plan, secrets: secrets, log: log)
        return try await rig.serve { () throws(LoadgenFailure) -> RunOutcome in
            let (checks, healthOK) = try await Preflight.run(rig)
            log(LoadPhase.announcement(rig))
            let outputs = rig.outputs(defaultName: plan.workload.scenario.name, startedAt: startedAt)
            let result = await LoadPhase.run(rig, workload: plan.workload, stop: stop, outputs: outputs)
            return try await rig.conclude(result, checks: checks, healthOK: healthOK, startedAt: startedAt, outputs: outputs)
        }
    }
}

extension Rig {
    /// The run's outputs: the progress line (unless quiet), live metrics (if served), the report files.
    func outputs(defaultName: String, startedAt: Date) -> [any RunOutput] {
        var outputs: [any RunOutput] = []
        if !plan.report.quiet { outputs.append(ProgressLineOutput()) }
        if let liveMetrics { outputs.append(liveMetrics) }
        let directory = plan.report.directory ?? ReportWriter.defaultDirectory(scenario: defaultName, now: startedAt)
        outputs.append(ReportFilesOutput(directory: directory, formats: plan.report.formats))
        return outputs
    }

    /// After the load: the last replies' statuses delivered, the report made and written by the outputs.
    func conclude(
        _ result: RunResult, checks: [Report.ScriptedCheck], healthOK: Bool?, startedAt: Date, outputs: [any RunOutput],
        smoke: SmokeReport? = nil
    ) async throws(LoadgenFailure) -> RunOutcome {
        await statusCallbacks?.drain(within: .seconds(2))  // the last replies' delivered/read statuses
        client.shutdown()
        let report = RunReport.make(self, result: result, checks: checks, healthOK: healthOK, startedAt: startedAt, smoke: smoke)
        let paths = try await outputs.finish(report)
        let status: ExitStatus = result.partial ? .interrupted : (report.verdict == .pass ? .pass : .criteriaFailed)
        return RunOutcome(report: report, reportPaths: paths, status: status)
    }
}
