import ArgumentParser
import LoadgenCore

/// How many users, how fast and for how long (`loadgen run`).
struct LoadOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The scenario to run (see 'loadgen list').", valueName: "name"))
    var scenario: String = "generic"

    @OptionGroup var scenarioFile: ScenarioFileOption

    @Option(parsing: .unconditional, help: "Concurrent simulated users (closed model). Default: the scenario's, else 10.")
    var concurrency: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Open model: whole conversations arriving per second, timed from when each was due (not with --concurrency).",
        valueName: "per-second"))
    var rate: Double?

    @Option(name: .customLong("max-in-flight"), parsing: .unconditional,
            help: "Open model: most conversations at once; arrivals beyond it are dropped and counted. Default: 1000.")
    var maxInFlight: Int?

    @Option(help: ArgumentHelp("How long users keep starting turns: seconds, or 30s / 5m / 1h. Default: the scenario's, else 30s.",
                               valueName: "time"), transform: Arguments.duration)
    var duration: Duration?

    @Option(name: .customLong("think-time"), help: ArgumentHelp(
        "Pause after each turn, drawn uniformly from MIN-MAX (e.g. 2s-5s), or a fixed time; 0 for none. Default: 2s-5s.",
        valueName: "range"), transform: Arguments.durationRange)
    var thinkTime: ClosedRange<Duration>?

    @Option(name: .customLong("reply-timeout"), help: ArgumentHelp("How long a reply may take after the message is sent. Default: 10s.",
                                                                   valueName: "time"), transform: Arguments.duration)
    var replyTimeout: Duration?

    @Option(name: .customLong("ack-timeout"), help: ArgumentHelp("How long the webhook POST may take to be answered. Default: 5s.",
                                                                 valueName: "time"), transform: Arguments.duration)
    var ackTimeout: Duration?

    @Option(parsing: .unconditional, help: "Stop each user after this many journeys (for bounded runs); the duration still applies.")
    var journeys: Int?

    @Option(parsing: .unconditional, help: "Seeds users' numbers, names, messages and pauses: the same seed repeats the same run.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "Run one shard of a run split across processes: users whose index is I modulo N (and 1/N of an open model's rate); 'loadgen merge' adds the shards' reports into the whole run's.",
        valueName: "I/N"), transform: Arguments.shard)
    var shard: Shard?

    @Option(help: ArgumentHelp("Where Send.template steps find their NAME.json payload templates. Default: payloads.", valueName: "dir"),
            transform: Arguments.path)
    var payloads: String?

    @Option(help: ArgumentHelp(
        "Users from a CSV file, one per row, in order: a header naming the columns phone (required, E.164), name, bsuid and any others, which message text uses as {{column}}.",
        valueName: "file"), transform: Arguments.path)
    var usersFile: String?

    /// Puts these values into `config`.
    func apply(to config: inout RunConfig) {
        config.concurrency = concurrency
        config.rate = rate
        config.maxInFlight = maxInFlight
        config.duration = duration
        if let thinkTime { config.thinkTime = thinkTime }
        if let replyTimeout { config.replyTimeout = replyTimeout }
        if let ackTimeout { config.ackTimeout = ackTimeout }
        config.journeys = journeys
        config.seed = seed
        config.shard = shard
    }
}
