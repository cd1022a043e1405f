import ArgumentParser
import LoadgenCore

/// How the run is judged and where its report goes (`loadgen run`).
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Comma-separated presets (\(CriteriaSet.presetNames.joined(separator: ", "))) and thresholds \
        such as reply.p99<800ms or errorRate<1%. Default: the scenario's own, else staging.
        """, valueName: "list"), transform: Arguments.criteria)
    var criteria: CriteriaSpec?

    @Option(name: .customLong("report-dir"), help: ArgumentHelp("Where report.json goes. Default: reports/<timestamp>-<scenario>.",
                                                               valueName: "dir"), transform: Arguments.path)
    var reportDir: String?

    @Option(help: ArgumentHelp(ReportFormat.help, valueName: "formats"), transform: Arguments.formats)
    var format: Set<ReportFormat>?

    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp(
        "Serve live metrics at http://HOST:PORT/metrics (Prometheus text format) while the run goes on, for Grafana.",
        valueName: "host:port"), transform: Arguments.hostPort)
    var metricsListen: HostPort?

    @Flag(help: "No progress during the run (a terminal gets a live line; a log gets a line every 10 s).")
    var quiet = false

    func apply(to config: inout RunConfig) {
        config.criteria = criteria
        config.report = ReportPlan(directory: reportDir, formats: format ?? Set(ReportFormat.allCases), quiet: quiet)
        config.metricsListen = metricsListen
    }
}
