import Foundation
import LoadgenCore
import LoadgenHTTP
import ReferenceBot

/// What a run left behind.
public struct RunOutcome: Sendable {
    public var report: Report
    /// report.json first, then the other formats written.
    public var reportPaths: [String]
    public var status: ExitStatus
    /// What of the report could not be written (the report itself is still here, and printed).
    public var writeFailure: LoadgenFailure? = nil

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
        let files = ReportFilesOutput(plan.report, name: plan.workload.scenario.name, startedAt: startedAt)
        try files.prepare()  // a report directory that cannot be written is found before the run
        let rig = try await Rig.assemble(plan, secrets: secrets, log: log)
        return try await rig.serve { () throws(LoadgenFailure) -> RunOutcome in
            let outputs = rig.outputs(files: files)
            guard let (checks, healthOK) = try await stop.cancelling({ () throws(LoadgenFailure) in
                try await rig.hub?.joined()  // a shard: the hub took it and its clock is measured
                return try await Preflight.run(rig)
            }) else {
                return await rig.concludeStoppedBeforeLoad(startedAt: startedAt, outputs: outputs, log: log)
            }
            // A shard starts when its hub starts every shard (the barrier, or --start-at).
            guard let start = try await stop.cancelling({ () throws(LoadgenFailure) in try await rig.hub?.ready() }) else {
                return await rig.concludeStoppedBeforeLoad(startedAt: startedAt, outputs: outputs, log: log)
            }
            log(LoadPhase.announcement(rig))
            let result = await LoadPhase.run(rig, workload: plan.workload, stop: stop, outputs: outputs, startingAt: start?.instant)
            return await rig.conclude(result, checks: checks, healthOK: healthOK, startedAt: startedAt, outputs: outputs)
        }
    }
}

extension Rig {
    /// The run's outputs: the progress line (unless quiet), live metrics (if served), the report files.
    func outputs(files: ReportFilesOutput) -> [any RunOutput] {
        var outputs: [any RunOutput] = []
        if !plan.report.quiet { outputs.append(ProgressLineOutput()) }
        if let liveMetrics { outputs.append(liveMetrics) }
        outputs.append(files)
        return outputs
    }

    /// Ctrl-C before the load began (during the preflight or the smoke checklist): a partial report of nothing measured.
    func concludeStoppedBeforeLoad(startedAt: Date, outputs: [any RunOutput], smoke: SmokeReport? = nil, log: Log) async -> RunOutcome {
        log("stopped before the load began")
        return await conclude(LoadPhase.interrupted(plan.workload), checks: [], healthOK: nil, startedAt: startedAt, outputs: outputs, smoke: smoke)
    }

    /// After the load: the last replies' statuses delivered, the report made and written by the outputs.
    func conclude(
        _ result: RunResult, checks: [Report.ScriptedCheck], healthOK: Bool?, startedAt: Date, outputs: [any RunOutput],
        smoke: SmokeReport? = nil
    ) async -> RunOutcome {
        await statusCallbacks?.drain(within: .seconds(2))  // the last replies' delivered/read statuses
        await hub?.finish()
        client.shutdown()
        var checks = checks + [Report.ScriptedCheck.generator(result.metrics), Self.enoughConnections(client.connectionWaits, plan.connections),
                               statusCallbacks.flatMap { Self.statusesAcked($0.delivered) }]
            .compactMap { $0 } + (bot.map { [Self.keptUp($0.counts)] } ?? [])
        if let hub { checks.append(await hub.check(unjudged: result.metrics.errors(.hubLost))) }
        var report = RunReport.make(self, result: result, checks: checks, healthOK: healthOK, startedAt: startedAt, smoke: smoke,
                                    graphProxy: await graphProxy?.info)
        report.graphLimits = await graphLimits?.counts
        report.run.hub = await hub?.info()
        let written = await outputs.finish(report)
        let status: ExitStatus = written.failure != nil ? .cannotWriteReport
            : result.partial ? .interrupted : (report.verdict == .pass ? .pass : .criteriaFailed)
        return RunOutcome(report: report, reportPaths: written.paths, status: status, writeFailure: written.failure)
    }
}

extension Rig {
    /// Whether `late` of `total` is a share of the run and not a stall: more than 1 %, and at least 5 (one
    /// stall of a shared machine delays a request or two). The rule of the `connections` and the
    /// `embedded bot` checks.
    static func isAShareOfTheRun(_ late: Int, of total: Int) -> Bool { late >= 5 && late * 100 > total }

    /// Whether requests found a connection to the target when they were due: one that waited for one of the
    /// `connections` has its ack timed from when it was due, so its latency includes loadgen's own queue —
    /// the target slow to free them, or this process too busy to read their answers. Over 1 % of requests
    /// (and at least 5) waiting past `ConnectionWaits.long` fails it; nil when no request went out.
    static func enoughConnections(_ waits: ConnectionWaits, _ connections: Int) -> Report.ScriptedCheck? {
        guard waits.requests > 0 else { return nil }
        let long = "\(Int(ConnectionWaits.long / .milliseconds(1))) ms"
        let longest = String(format: "%.1f", waits.longest / .milliseconds(1))
        let late = waits.waitedLong == 0 ? "no request" : "\(waits.waitedLong) of \(waits.requests) requests"
        let figures = "\(late) waited over \(long) for one of the \(connections) connections (longest \(longest) ms)"
        guard isAShareOfTheRun(waits.waitedLong, of: waits.requests) else {
            return .init(name: "connections", status: .pass, detail: "enough: \(figures)")
        }
        return .init(name: "connections", status: .fail, detail: "too few: \(figures), so their ack latency includes loadgen's own queue "
            + "for a connection, not only the target's time (the target was slow to free them, or this process too busy to read their "
            + "answers): raise --connections, or run fewer users")
    }

    /// Whether the target acked Meta's status webhooks (`sent`, `delivered`, `read` for each reply) with
    /// 200, as Meta expects of every delivery: it retries the others, and disables a webhook that keeps
    /// failing. Over 1 % of them (and at least 5) not acked fails it; nil when none was posted.
    static func statusesAcked(_ counts: StatusCallbacks.Counts) -> Report.ScriptedCheck? {
        let posted = counts.sent + counts.failed
        guard posted > 0 else { return nil }
        let first = counts.firstFailure.map { ", the first: \($0)" } ?? ""
        guard isAShareOfTheRun(counts.failed, of: posted) else {
            let missed = counts.failed == 0 ? "" : " (\(counts.failed) not\(first))"
            return .init(name: "status webhooks", status: .pass, detail: "acked: \(counts.sent) of \(posted) acked 200\(missed)")
        }
        return .init(name: "status webhooks", status: .fail, detail: "\(counts.failed) of \(posted) not acked 200\(first); Meta retries a "
            + "status webhook that is not acked 200, and disables a webhook that keeps failing")
    }

    /// Whether the embedded bot kept up with the load: it shares the machine with the generator, and a
    /// run that outgrows it measures the reference bot's capacity there — said, so that no one mistakes
    /// it for loadgen's limit or for their own bot's.
    static func keptUp(_ counts: BotCounts) -> Report.ScriptedCheck {
        let after = "\(Int(BotCounts.lateAfter / .milliseconds(1))) ms"
        guard isAShareOfTheRun(counts.startedLate, of: counts.processed) else {
            let late = counts.startedLate == 0 ? "no message" : "\(counts.startedLate) of \(counts.processed) messages"
            return .init(name: "embedded bot", status: .pass,
                         detail: "kept up: \(late) waited over \(after) for a reply worker (longest \(counts.longestQueueWaitMilliseconds) ms)")
        }
        let longest = String(format: "%.1f s", Double(counts.longestQueueWaitMilliseconds) / 1000)
        return .init(name: "embedded bot", status: .fail, detail: "fell behind: \(counts.startedLate) of \(counts.processed) messages "
            + "waited over \(after) for a reply worker (longest \(longest)); it shares this machine's CPUs with the generator, so this "
            + "run measured the reference bot's capacity here, not loadgen's: run fewer users, or test your own bot with --target")
    }
}
