/// `loadgen merge`: reports of shards that ran side by side (the same scenario, split across processes
/// or machines) combined into the report of the whole run. Histograms and counters add exactly, every
/// percentile is recomputed from the merged histograms, and the criteria are judged again on the
/// merged data: a p95 of the whole is not any average of the shards' p95s.
public enum ReportMerge {
    public static func merge(_ reports: [(name: String, report: Report)]) throws(MergeError) -> Report {
        guard let (_, first) = reports.first else { throw .nothingToMerge }
        for (name, r) in reports where r.schemaVersion != Report.currentSchemaVersion {
            throw .schemaVersion(name, r.schemaVersion)
        }
        if let counter = overflowingCounter(reports.map(\.report)) { throw .overflow(counter) }
        var metrics = RunMetrics()
        var correlation = CorrelationCounters()
        var checks: [Report.ScriptedCheck] = []
        var run = first.run
        var partial = false
        var callbacks: Report.StatusCallbackCounts?
        run.concurrency = 0
        run.ratePerSecond = nil
        var targets: [String] = []
        var shards: [String: String] = [:]  // "I/N" → the report that was it
        for (name, r) in reports {
            if let shard = r.run.shard {
                if let other = shards[shard] { throw .sameShard(shard, other, name) }
                shards[shard] = name
            }
            guard let m = r.metrics else { throw .noHistograms(name) }
            guard r.run.scenario == first.run.scenario else {
                throw .differentScenarios(first: first.run.scenario, name, r.run.scenario)
            }
            metrics.merge(m)
            correlation.merge(r.replies)
            partial = partial || r.partial
            run.concurrency += r.run.concurrency
            if let rate = r.run.ratePerSecond { run.ratePerSecond = (run.ratePerSecond ?? 0) + rate }
            run.elapsedSeconds = max(run.elapsedSeconds, r.run.elapsedSeconds)
            run.durationSeconds = max(run.durationSeconds, r.run.durationSeconds)
            run.startedAt = min(run.startedAt, r.run.startedAt)
            if !targets.contains(r.run.target) { targets.append(r.run.target) }
            if let c = r.delivery.statusCallbacks {
                callbacks = Report.StatusCallbackCounts(sent: (callbacks?.sent ?? 0) + c.sent, failed: (callbacks?.failed ?? 0) + c.failed,
                                                        dropped: (callbacks?.dropped ?? 0) + c.dropped)
            }
            add(r.checks, to: &checks)
        }
        if let check = try shardsCheck(shards) { checks.append(check) }
        run.target = targets.joined(separator: ", ")
        run.shard = nil
        run.users = Self.users(reports.compactMap(\.report.run.users))
        run.hub = Report.RunInfo.Hub.merged(reports.compactMap(\.report.run.hub))
        let observations = Observations(metrics: metrics, repliesMeasured: run.replies.awaitsReplies,
                                        healthOK: checks.first { $0.name == "health" && $0.status != .skipped }.map { $0.status == .pass },
                                        checksFailed: checks.filter { $0.status == .fail }.count, correlation: correlation,
                                        chaos: first.chaosPlan, untraced: untraced(reports.map(\.report)),
                                        elapsed: .nanoseconds(Int64(run.elapsedSeconds * 1e9)),
                                        tripped: reports.compactMap(\.report.tripped).min { $0.atSeconds < $1.atSeconds })
        var merged = Report(run: run, metrics: metrics, correlation: correlation, evaluation: try judge(first, observations),
                            checks: checks, partial: partial, chaos: first.chaosPlan, timeline: timeline(reports.map(\.report)),
                            untraced: untraced(reports.map(\.report)))
        merged.delivery.statusCallbacks = callbacks
        merged.graphLimits = graphLimits(reports.map(\.report))
        return merged
    }

    /// A scripted check of the merged run fails if it failed in any shard (and is skipped only if skipped in all).
    /// The shards' users files as one: their counts added, their numbers in shard order (the first 1,000).
    private static func users(_ shards: [Report.RunInfo.Users]) -> Report.RunInfo.Users? {
        guard let first = shards.first else { return nil }
        return Report.RunInfo.Users(file: first.file, count: shards.reduce(0) { $0 + $1.count },
                                    numbers: Array(shards.flatMap(\.numbers).prefix(1000)))
    }

    private static func add(_ shard: [Report.ScriptedCheck], to checks: inout [Report.ScriptedCheck]) {
        for check in shard {
            if let i = checks.firstIndex(where: { $0.name == check.name }) {
                if checks[i].status != .fail, check.status == .fail || checks[i].status == .skipped { checks[i] = check }
            } else {
                checks.append(check)
            }
        }
    }

    /// Whether every shard of the run is in the merge (`shards`: reports that name their shard, `I/N` →
    /// the report's name): the merged counts are those of the merged shards' users only, so a run whose
    /// shard is missing — its pod died before it wrote a report, or it was left off the command line —
    /// fails, its missing shards named, rather than passing on part of the load. Nil when no report names
    /// its shard; throws when they name different splits (shard 0/2 and 1/3 are not one run's).
    static func shardsCheck(_ shards: [String: String]) throws(MergeError) -> Report.ScriptedCheck? {
        let named = shards.compactMap { text, name in Shard(text).map { (shard: $0, name: name) } }.sorted { $0.shard.index < $1.shard.index }
        guard let first = named.first else { return nil }
        if let other = named.first(where: { $0.shard.count != first.shard.count }) {
            throw .differentSplits(first.name, first.shard.description, other.name, other.shard.description)
        }
        let count = first.shard.count
        let present = Set(named.map(\.shard.index))
        let missing = (0..<count).filter { !present.contains($0) }.map { "\($0)/\(count)" }
        guard !missing.isEmpty else { return .init(name: "shards", status: .pass, detail: "all \(count) shards merged") }
        return .init(name: "shards", status: .fail, detail: "\(present.count) of \(count) shards merged, missing \(missing.joined(separator: ", ")): "
            + "the merged counts cover only the users of the shards merged, not the whole run's")
    }

    /// The merged run judged again by the criteria the shards were run with.
    private static func judge(_ first: Report, _ observations: Observations) throws(MergeError) -> Evaluation {
        let spec = first.run.criteriaSpec ?? first.run.criteria.joined(separator: ",")
        do { return evaluate(try CriteriaSet.parse(spec), against: observations) } catch { throw .badCriteria(spec, error.description) }
    }
}

extension ReportMerge {
    /// The shards' hits of Meta's limits, added; nil when no shard ran with them.
    static func graphLimits(_ reports: [Report]) -> GraphLimitCounts? {
        reports.compactMap(\.graphLimits).reduce(nil) { sum, hits in
            var total = sum ?? GraphLimitCounts()
            total.merge(hits)
            return total
        }
    }

    /// The shards' timelines on one time axis: the shards of a hub share one start (`run.hub.start`), and
    /// a shard that started later has its points moved on by the difference (in whole intervals).
    static func timeline(_ reports: [Report]) -> Timeline? {
        let earliest = reports.compactMap(\.run.hub?.startUnixMilliseconds).min()
        var merged: Timeline?
        for r in reports {
            guard var t = r.timeline else { continue }
            if let start = r.run.hub?.startUnixMilliseconds, let earliest { t = t.shifted(by: Double(start - earliest) / 1000) }
            if merged == nil { merged = t } else { merged!.merge(t) }
        }
        return merged
    }

    /// Every shard's untraced fault hits, per pattern.
    static func untraced(_ reports: [Report]) -> [FailurePattern: UInt64] {
        var total: [FailurePattern: UInt64] = [:]
        for r in reports {
            for p in r.patterns {
                if let n = p.untraced, let pattern = FailurePattern(rawValue: p.pattern) { total[pattern, default: 0] += n }
            }
        }
        return total
    }
}

/// Why reports cannot be merged.
public enum MergeError: Error, Equatable, CustomStringConvertible {
    case nothingToMerge
    case noHistograms(String)
    case differentScenarios(first: String, String, String)
    case badCriteria(String, String)
    case sameShard(String, String, String)
    /// Two reports of different splits: a report's name and shard, another's.
    case differentSplits(String, String, String, String)
    case schemaVersion(String, Int)
    case overflow(String)

    public var description: String {
        switch self {
        case .nothingToMerge: "give at least one report to merge"
        case .noHistograms(let name):
            "\(name) has no serialised histograms (written by loadgen before 0.2): it cannot be merged exactly; run it again"
        case .differentScenarios(let first, let name, let other):
            "\(name) ran scenario '\(other)', the first report ran '\(first)': only shards of one run can be merged"
        case .badCriteria(let spec, let why): "the reports' criteria '\(spec)' no longer parse: \(why)"
        case .sameShard(let shard, let first, let second): "\(first) and \(second) are both shard \(shard): merging them would count its users twice"
        case .differentSplits(let a, let shardA, let b, let shardB):
            "\(a) is shard \(shardA) and \(b) is shard \(shardB): shards of runs split differently are not one run's"
        case .schemaVersion(let name, let version):
            "\(name) has report schema version \(version); this loadgen reads version \(Report.currentSchemaVersion)"
        case .overflow(let counter): "the reports' counts add up past the largest count (2^64 − 1) at \(counter.dropFirst()): a corrupt or crafted report"
        }
    }
}
