import Foundation
import LoadgenCore

/// `loadgen smoke`: the ordered checklist as real wire exchanges with the target, then — unless a
/// production bot failed a check — a short measured load judged with the smoke criteria.
public enum SmokeDriver {
    public static func run(_ plan: SmokePlan, secrets: RunSecrets, stop: StopSignal, log: @escaping Log) async throws(LoadgenFailure) -> RunOutcome {
        try Rig.requireSecrets(plan.run, secrets)  // before anything is said: a missing secret is one line
        let startedAt = Date()
        let files = ReportFilesOutput(plan.run.report, name: "smoke", startedAt: startedAt)
        try files.prepare()
        for notice in plan.notices { log(notice) }
        let rig = try await Rig.assemble(plan.run, secrets: secrets, log: log, observeUpstreams: true)
        return try await rig.serve { () throws(LoadgenFailure) -> RunOutcome in
            let outputs = rig.outputs(files: files)
            guard let checklist = try await stop.cancelling({ () throws(LoadgenFailure) in try await SmokeChecks(plan: plan, rig: rig, log: log).run() })
            else { return await rig.concludeStoppedBeforeLoad(startedAt: startedAt, outputs: outputs, smoke: plan.report, log: log) }
            let result: RunResult
            if let why = checklist.skipLoad {
                log("skipping the measured load: \(why)")
                result = LoadPhase.skipped(plan.run.workload)
            } else {
                log(LoadPhase.announcement(rig))
                result = await LoadPhase.run(rig, workload: plan.run.workload, stop: stop, outputs: outputs)
            }
            return await rig.conclude(result, checks: checklist.checks, healthOK: checklist.healthOK, startedAt: startedAt,
                                          outputs: outputs, smoke: plan.report)
        }
    }
}
