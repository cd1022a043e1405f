/// What `loadgen hub` was asked for: the run its shards share (the same scenario, load, seed, users and
/// chaos flags the shards get, so it mints the same users and can tell whose a number is), how many
/// shards, where it listens, the proxies it hosts once for all of them, and when the run starts.
///
/// ```swift
/// var config = HubConfig(run: RunConfig(scenario: BuiltInScenarios.generic), shards: 3)
/// let plan = try config.validated()   // plan.shardMap.shard(of: send) names the shard a send is for
/// ```
public struct HubConfig: Sendable {
    /// The shards' run: its scenario, load, seed, users, chaos plan, business and templates.
    public var run: RunConfig
    public var shards: Int
    /// Where shards connect (WebSocket).
    public var listen = HostPort(host: "127.0.0.1", port: 7000)
    /// Where the stand-in Graph API listens.
    public var graphListen = HostPort(host: "127.0.0.1", port: 4100)
    /// Fault proxies in front of the bot's real upstreams.
    public var upstreamProxies: [UpstreamProxySpec] = []
    /// The intercepting proxy in front of the stand-in (`--graph-proxy`).
    public var graphProxy: GraphProxySpec?
    /// The wall-clock start (`--start-at`, milliseconds since 1970); nil: when every shard is ready.
    public var startAt: Int64?
    /// How long after the last shard is ready the run starts (time for the start to reach every shard).
    public var startLead: Duration = .seconds(2)

    public init(run: RunConfig, shards: Int) {
        self.run = run
        self.shards = shards
    }

    /// The hub's plan, or the first mistake in one sentence.
    public func validated() throws(ConfigError) -> HubPlan {
        guard shards >= 1 else { throw ConfigError("--shards must be at least 1 (got \(shards))") }
        if run.shard != nil { throw ConfigError("--shard names one shard of a run; the hub serves them all: give it --shards N") }
        if run.graph.limits != nil {
            throw ConfigError("--graph-limits cannot be held across shards yet (a user's 24-hour window opens at its shard): run the shards' bot without it, or one process")
        }
        for (flag, given) in [("--target", run.target != nil), ("--hub", run.hub != nil)] where given {
            throw ConfigError("\(flag) is a shard's flag; the hub serves the bot's Graph API and proxies, and the shards deliver to the bot")
        }
        guard startLead >= .zero, startLead <= .seconds(600) else { throw ConfigError("--start-delay must be from 0 to 10 minutes") }
        var shared = run
        shared.upstreamProxies = []
        shared.graphProxy = nil
        let plan = try shared.validated()
        let whole = try run.wholePopulation(run.resolvedLoad().users)
        guard whole.count >= shards else {
            throw ConfigError("--shards \(shards) leaves some shards without users: the run has \(whole.count) (give at most \(whole.count) shards)")
        }
        let chaos = plan.workload.chaos
        let covered = Set(upstreamProxies.flatMap(\.sites) + [.traffic, .vendorNotify])  // the shards' own, the hub's stand-in
        if let missing = chaos.faults.first(where: { !covered.contains($0.site) }) {
            let name = UpstreamProxySpec.name(covering: missing.pattern.site) ?? "NAME"
            throw ConfigError("\(missing.pattern.rawValue) is injected at the \(missing.pattern.site.rawValue): give the hub --upstream \(name)=URL@HOST:PORT (a fault proxy in front of the bot's real \(name) upstream) and point the bot's base URL for it there")
        }
        return HubPlan(
            shards: shards, population: whole, business: plan.workload.business, chaos: chaos, seed: run.seed,
            fingerprint: RunFingerprint(scenario: run.scenario.name, seed: run.seed, population: whole, chaos: chaos),
            listen: listen, graphListen: graphListen, upstreamProxies: upstreamProxies, graphProxy: try graphProxy?.validated(),
            templates: run.graph.templates, start: startAt.map(HubPlan.Start.at) ?? .whenAllReady(lead: startLead))
    }
}

/// A hub ready to serve: immutable, made by `HubConfig.validated()`.
public struct HubPlan: Sendable {
    /// When the run starts.
    public enum Start: Sendable, Hashable {
        /// `lead` after the last shard is ready.
        case whenAllReady(lead: Duration)
        /// At this wall-clock time (milliseconds since 1970).
        case at(Int64)
    }

    public let shards: Int
    /// Every user of the run, all shards'.
    public let population: [SimulatedUser]
    public let business: BusinessIdentity
    /// The faults the hub's stand-in and proxies inject (the shards inject the traffic's themselves).
    public let chaos: ChaosPlan
    public let seed: UInt64
    /// What each shard's run must be.
    public let fingerprint: RunFingerprint
    public let listen: HostPort
    public let graphListen: HostPort
    public let upstreamProxies: [UpstreamProxySpec]
    public let graphProxy: GraphProxySpec?
    /// The business's templates the stand-in checks template sends against (nil: any).
    public let templates: BusinessTemplates?
    public let start: Start

    /// Which shard owns each user.
    public var shardMap: ShardMap { ShardMap(population: population, shards: shards) }
}
