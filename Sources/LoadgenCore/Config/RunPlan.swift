/// A run ready to go: what the engine runs (`workload`), what the runtime wires up around it (target,
/// stand-ins, proxies, live metrics), how it is judged and where its report goes. Immutable: made by
/// `RunConfig.validated()` (or `SmokeConfig.validated()`), then only read.
public struct RunPlan: Sendable {
    /// The engine's part.
    public let workload: Workload
    /// The bot's webhook URL; nil = start the embedded reference bot and test that.
    public let target: TargetURL?
    /// The criteria the run is judged by, and how they were written (for merged reports to judge again).
    public let criteria: [CriteriaSet]
    public let criteriaText: String
    /// Where the stand-in Graph API listens.
    public let graphListen: HostPort
    /// The intercepting proxy in front of the stand-in Graph API, if the run has one (`--graph-proxy`).
    public let graphProxy: GraphProxySpec?
    /// A health endpoint to probe before the load (the embedded bot's when nil and there is no target).
    public let healthURL: TargetURL?
    /// A PEM file of certificates to trust for the target (and health URLs) besides the system's
    /// (`--target-ca`).
    public let targetCA: String?
    /// Most open connections to the target.
    public let connections: Int
    /// Whether `connections` was asked for (`--connections`) rather than chosen: a chosen number may be
    /// lowered to fit the open-file limit, an asked one is refused when it does not fit.
    public let connectionsGiven: Bool
    /// How long a webhook POST may take to be answered.
    public let ackTimeout: Duration
    /// Play Meta's sent/delivered/read status webhooks for every bot reply.
    public let statusCallbacks: Bool
    /// Fault proxies in front of an external target's real upstreams.
    public let upstreamProxies: [UpstreamProxySpec]
    /// Where live Prometheus metrics are served, if anywhere.
    public let metricsListen: HostPort?
    /// How the embedded reference bot is set up (test switches; ignored with a target).
    public let embeddedBot: EmbeddedBotOptions
    /// Headers on every delivery (a smoke test's tag, so the target can filter its traffic out).
    public let deliveryHeaders: [String: String]
    /// This process's shard of a run split across processes, if it is one.
    public let shard: Shard?
    /// Where the report goes and in which formats.
    public let report: ReportPlan
    /// The users file the users came from (`--users-file`), if they did.
    public let usersFile: String?
    /// Meta's limits and the business's templates the stand-in Graph API holds the bot's sends to.
    public let graph: GraphRules
    /// The hub this shard connects out to (`--hub`): it serves the stand-in Graph API (and the graph and
    /// fault proxies) for every shard and hands this one what its users are owed.
    public let hub: ShardHub?

    public init(
        workload: Workload, target: TargetURL? = nil, criteria: [CriteriaSet] = [], criteriaText: String = "",
        graphListen: HostPort = HostPort(host: "127.0.0.1", port: 0), healthURL: TargetURL? = nil, targetCA: String? = nil, connections: Int = 16,
        connectionsGiven: Bool = false,
        ackTimeout: Duration = .seconds(5), statusCallbacks: Bool = true, upstreamProxies: [UpstreamProxySpec] = [],
        metricsListen: HostPort? = nil, embeddedBot: EmbeddedBotOptions = EmbeddedBotOptions(), deliveryHeaders: [String: String] = [:],
        shard: Shard? = nil, report: ReportPlan = ReportPlan(), usersFile: String? = nil, graph: GraphRules = GraphRules(),
        graphProxy: GraphProxySpec? = nil, hub: ShardHub? = nil
    ) {
        self.workload = workload
        self.target = target
        self.criteria = criteria
        self.criteriaText = criteriaText
        self.graphListen = graphListen
        self.healthURL = healthURL
        self.targetCA = targetCA
        self.connections = connections
        self.connectionsGiven = connectionsGiven
        self.ackTimeout = ackTimeout
        self.statusCallbacks = statusCallbacks
        self.upstreamProxies = upstreamProxies
        self.metricsListen = metricsListen
        self.embeddedBot = embeddedBot
        self.deliveryHeaders = deliveryHeaders
        self.shard = shard
        self.report = report
        self.usersFile = usersFile
        self.graph = graph
        self.graphProxy = graphProxy
        self.hub = hub
    }
}

/// The hub a shard connects to, and the run it was started for (which the hub checks is its own).
public struct ShardHub: Sendable, Hashable {
    /// `http://HUB:PORT` (a path, if any, is where the hub listens for shards).
    public var url: TargetURL
    public var fingerprint: RunFingerprint

    public init(url: TargetURL, fingerprint: RunFingerprint) {
        self.url = url
        self.fingerprint = fingerprint
    }
}

/// Test switches of the embedded reference bot: a broken fallback, or no signature check.
public struct EmbeddedBotOptions: Sendable, Hashable {
    /// Break the fallback of this pattern, to prove a chaos drill catches it (`--bot-defect`).
    public var defect: FailurePattern?
    /// With false the bot accepts unsigned and badly signed deliveries.
    public var verifiesSignatures: Bool

    public init(defect: FailurePattern? = nil, verifiesSignatures: Bool = true) {
        self.defect = defect
        self.verifiesSignatures = verifiesSignatures
    }
}

/// Where a run's report goes: report.json and the other formats, and whether progress is shown.
public struct ReportPlan: Sendable, Hashable {
    /// The directory; nil = `reports/<UTC timestamp>-<name>`.
    public var directory: String?
    /// The files written next to report.json.
    public var formats: Set<ReportFormat>
    /// No live progress line.
    public var quiet: Bool

    public init(directory: String? = nil, formats: Set<ReportFormat> = Set(ReportFormat.allCases), quiet: Bool = false) {
        self.directory = directory
        self.formats = formats
        self.quiet = quiet
    }
}
