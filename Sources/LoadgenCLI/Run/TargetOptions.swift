import ArgumentParser
import LoadgenCore

/// The bot under test and what loadgen serves it (`loadgen run`).
struct TargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The bot's webhook URL (GET handshake + POST deliveries). Default: the embedded reference bot.",
                               valueName: "url"), transform: Arguments.url)
    var target: TargetURL?

    @Option(name: .customLong("graph-listen"), help: ArgumentHelp(
        "Where the stand-in Graph API listens (HOST:PORT; port 0 picks a free one). Default: 127.0.0.1:0.", valueName: "host:port"),
        transform: Arguments.hostPort)
    var graphListen: HostPort?

    @OptionGroup var business: BusinessOptions

    @Option(name: .customLong("app-secret-file"), help: ArgumentHelp("Read the app secret from this file instead of WHATSAPP_APP_SECRET.",
                                                                    valueName: "path"), transform: Arguments.path)
    var appSecretFile: String?

    @Option(help: ArgumentHelp("A health URL to probe before the run (EasyMO worker or core JSON). The embedded bot's is probed by default.",
                               valueName: "url"), transform: Arguments.url)
    var health: TargetURL?

    @Option(name: .customLong("target-ca"), help: targetCAHelp, transform: Arguments.path)
    var targetCA: String?

    /// `--target-ca`'s help, the same for `run` and `smoke`.
    static let targetCAHelp = ArgumentHelp(
        "Trust the certificates in this PEM file for an https:// --target and --health, besides the system's: a staging bot's private CA or self-signed certificate. Host names and dates are still checked.",
        valueName: "path")

    @Option(parsing: .unconditional, help: "Most open connections to the target (users share them). Default: min(concurrency, 512).")
    var connections: Int?

    @Option(help: ArgumentHelp(
        "With --target: host a fault proxy in front of one of the bot's real upstreams, NAME=URL@HOST:PORT (NAME: llm, database, search, sessions, payments, agents, graph); point the bot's base URL for it at HOST:PORT. Repeatable.",
        valueName: "name=url@host:port"), transform: Arguments.upstream)
    var upstream: [UpstreamProxySpec] = []

    @Option(help: ArgumentHelp(
        "Inject failure patterns: PATTERN=RATE[@START-END],… e.g. ai-service-down=0.2@60s-120s,timeout=0.1 (see 'loadgen list patterns'). Upstream faults need the embedded bot or --upstream.",
        valueName: "spec"), transform: Arguments.chaos)
    var chaos: ChaosPlan?

    @Option(name: .customLong("bot-defect"), help: ArgumentHelp(
        "Test switch: break one fallback of the embedded reference bot (a pattern name), to prove chaos runs catch it.",
        valueName: "pattern"), transform: Arguments.pattern)
    var botDefect: FailurePattern?

    @Flag(name: .customLong("allow-flood"), help: "Let network-issues:burst flood a --target that is not on this machine (a test bot that expects it).")
    var allowFlood = false

    @Option(help: ArgumentHelp(
        "Be one shard (--shard I/N) of a run served by 'loadgen hub' at this URL: the hub serves the bot's Graph API and proxies, routes this shard's replies and fault hits to it, and starts every shard together.",
        valueName: "url"), transform: Arguments.url)
    var hub: TargetURL?

    func validate() throws {
        if hub != nil, graphListen != nil {
            throw ValidationError("--graph-listen belongs on the hub with --hub (the bot sends every shard's replies to the hub's): give it to 'loadgen hub' instead")
        }
    }

    func apply(to config: inout RunConfig) {
        config.allowFlood = allowFlood
        config.target = target
        if let graphListen { config.graphListen = graphListen }
        config.business = business.identity
        config.health = health
        config.targetCA = targetCA
        config.connections = connections
        config.upstreamProxies = upstream
        config.chaos = chaos
        config.embeddedBot.defect = botDefect
        config.hub = hub
    }
}
