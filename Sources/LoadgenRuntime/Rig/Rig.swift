import LoadgenCore
import LoadgenHTTP
import ReferenceBot
import ServiceLifecycle

/// Everything a run talks to, bound and ready: the target (the embedded bot or an external one), the
/// stand-in Graph API, the bot's upstream stand-ins or fault proxies in front of its real ones, status
/// callbacks and live metrics — each a `Service`. `Rig.assemble` binds them; `serve` runs them around a
/// driver's phases and shuts them down gracefully afterwards.
struct Rig: Sendable {
    let plan: RunPlan
    /// The webhook URL: the plan's, or the embedded bot's.
    let target: TargetURL
    /// The embedded reference bot, when it is the target.
    let bot: ReferenceBot?
    /// Whether the target is the embedded reference bot.
    var embedded: Bool { bot != nil }
    let appSecret: Secret
    let verifyToken: Secret?
    /// The embedded bot's health URL, or the plan's.
    let healthURL: TargetURL?
    /// Where the stand-in Graph API listens (`http://host:port`).
    let graphAPI: String
    let correlator: ReplyCorrelator<ContinuousClock.Instant>
    let injector: FaultInjector?
    /// Pooled connections to the target's origin.
    let client: HTTPClient
    let statusCallbacks: StatusCallbacks?
    let liveMetrics: LiveMetrics?
    /// The embedded bot's upstream calls by message id (nil: not observable, e.g. an external target).
    let upstreamCalls: UpstreamCallLog?
    /// The intercepting proxy's record, with `--graph-proxy`.
    let graphProxy: GraphProxyLedger?
    /// In start order; they stop in reverse (live metrics first, the stand-in Graph API last).
    let services: [any Service]
    /// Meta's limits the stand-in holds the bot to (`--graph-limits`), and their hits; nil when off.
    var graphLimits: GraphLimitGate? = nil
    /// A shard's link to its hub (`--hub`), which stands in for the stand-ins.
    var hub: HubLink? = nil
    /// What HTTPS to the target and its health URLs trusts besides the system's roots (`--target-ca`).
    var trust: TrustedCertificates = .system

    /// The run's one clock: the engine, the correlator's deadlines and the fault windows all read it.
    /// Its instants are `ContinuousClock`'s; it sleeps on `LoopTimers`, not libdispatch.
    var clock: WallClock { .loops }

    /// Runs the services while `body` runs, then shuts them down gracefully (see `Services.run`).
    func serve<T: Sendable>(_ body: @escaping @Sendable () async throws(LoadgenFailure) -> T) async throws(LoadgenFailure) -> T {
        try await Services.run(services, around: body)
    }
}
