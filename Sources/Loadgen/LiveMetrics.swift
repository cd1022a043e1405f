import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOHTTP1
import Synchronization

/// `--metrics-listen`: the run's figures so far at `GET /metrics`, in Prometheus' text format, for a
/// Grafana board during long runs. Updated every second from the engine's progress.
final class LiveMetrics: HTTPResponder, Sendable {
    private let latest = Mutex<LoadgenCore.Progress?>(nil)
    private let scenario: String
    private let faults: [String]

    init(scenario: String, chaos: ChaosPlan) {
        self.scenario = scenario
        var seen: [String] = []
        for fault in chaos.faults where !seen.contains(fault.pattern.rawValue) { seen.append(fault.pattern.rawValue) }
        faults = seen
    }

    func update(_ progress: LoadgenCore.Progress) { latest.withLock { $0 = progress } }

    func respond(to request: ServerRequest) async -> ServerResponse {
        guard request.method == .GET, request.uri == "/metrics" || request.uri.hasPrefix("/metrics?") else {
            return .text(.notFound, "loadgen serves /metrics\n")
        }
        let body = latest.withLock { $0 }.map { PrometheusText.render($0, scenario: scenario, faults: faults) }
            ?? "# loadgen: no sample yet (the first comes one second into the run)\n"
        return ServerResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: Array(body.utf8))
    }
}
