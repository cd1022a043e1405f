import LoadgenCore
import LoadgenHTTP
import NIOHTTP1

/// `--metrics-listen`: the run's figures so far at `GET /metrics`, in Prometheus' text format, for a
/// Grafana board during long runs. Updated from every snapshot; served by its own HTTP service.
public actor LiveMetrics: HTTPResponder, RunOutput {
    private var latest: Progress?
    private let scenario: String
    private let faults: [String]
    private let shard: Shard?

    /// Metrics of a run of `scenario` (this process's `shard` of it, if it is one) with `chaos`.
    public init(scenario: String, chaos: ChaosPlan, shard: Shard? = nil) {
        self.scenario = scenario
        self.shard = shard
        var seen: [String] = []
        for fault in chaos.faults where !seen.contains(fault.pattern.rawValue) { seen.append(fault.pattern.rawValue) }
        faults = seen
    }

    public func prepare() {}

    public func update(_ snapshot: Progress) { latest = snapshot }

    /// Nothing to write: the endpoint keeps serving the last snapshot until the service stops.
    public func finish(_ report: Report) -> OutputResult { OutputResult() }

    public func respond(to request: ServerRequest) -> ServerResponse {
        guard request.method == .GET, request.uri == "/metrics" || request.uri.hasPrefix("/metrics?") else {
            return .text(.notFound, "loadgen serves /metrics\n")
        }
        let body = latest.map { PrometheusText.render($0, scenario: scenario, shard: shard, faults: faults) }
            ?? "# loadgen: no sample yet (the first comes one second into the run)\n"
        return ServerResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: Array(body.utf8))
    }
}
