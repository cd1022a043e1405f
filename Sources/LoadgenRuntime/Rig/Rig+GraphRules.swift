import LoadgenCore

extension Rig {
    /// The stand-in's checks for `plan`: Meta's limits behind one gate (nil when off), the business's
    /// templates, and a `failed` status for each send Meta fails later. Says which limits are on.
    static func graphChecks(_ plan: RunPlan, statuses: StatusCallbacks?, log: Log) -> (GraphLimitGate?, GraphAPIStandIn.Checks) {
        let limits = plan.graph.activeLimits
        if let limits { log("stand-in Graph API holds the bot to Meta's limits: \(describe(limits))") }
        if let templates = plan.graph.templates {
            log("stand-in Graph API checks template sends against \(templates.templates.count) templates of the business")
        }
        let gate = limits.map(GraphLimitGate.init)
        return (gate, GraphAPIStandIn.Checks(limits: gate, templates: plan.graph.templates) { send, error in
            statuses?.enqueue(send, failure: error)
        })
    }

    /// `pair rate 45 per user, then 1 every 6s (131056); 80 messages/s (130429); 24h window (131047)`.
    static func describe(_ limits: GraphLimits) -> String {
        var parts: [String] = []
        if let p = limits.pair {
            parts.append("pair rate \(p.capacity) per user, then 1 every \(DurationText.format(p.interval)) (131056)")
        }
        if let t = limits.throughput { parts.append("\(t) messages/s (130429)") }
        if let w = limits.window { parts.append("\(DurationText.format(w)) window for free-form messages (131047)") }
        return parts.joined(separator: "; ")
    }
}
