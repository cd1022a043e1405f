extension ReportMerge {
    /// The first counter (by its path in report.json's value) that would go past the largest count when
    /// the reports are added up, if any: every stored integer of what merging adds — the metrics (totals,
    /// per-step, per-pattern and per-phase counts, each histogram's count), the send tallies, the users —
    /// is walked, so no field is forgotten. A crafted or corrupt report is refused rather than merged into
    /// numbers that wrapped around.
    static func overflowingCounter(_ reports: [Report]) -> String? {
        var sums: [String: UInt64] = [:]
        var overflow: String?
        for report in reports {
            let added: [(String, Any)] = [("metrics", report.metrics as Any), ("replies", report.replies),
                                          ("delivery", report.delivery), ("run.concurrency", report.run.concurrency),
                                          ("graphLimits", report.graphLimits as Any)]
            walk(added, path: "") { path, n in
                let (sum, over) = sums[path, default: 0].addingReportingOverflow(n)
                if over, overflow == nil { overflow = path }
                sums[path] = sum
            }
            if overflow != nil { break }
        }
        return overflow
    }

    private static func walk(_ value: Any, path: String, _ visit: (String, UInt64) -> Void) {
        switch value {
        case let n as UInt64: return visit(path, n)
        case let n as Int: return visit(path, UInt64(max(0, n)))
        case let h as LatencyHistogram:  // bucket counts add up to the total: the total is what can overflow
            visit(path + ".count", h.count)
            return visit(path + ".clamped", h.clamped)
        case is Double, is String, is Bool, is Duration: return
        default: break
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .dictionary {
            for entry in mirror.children {
                let pair = Array(Mirror(reflecting: entry.value).children)
                guard pair.count == 2 else { continue }
                walk(pair[1].value, path: path + "[\(pair[0].value)]", visit)
            }
            return
        }
        for (i, child) in mirror.children.enumerated() { walk(child.value, path: path + "." + (child.label ?? String(i)), visit) }
    }
}
