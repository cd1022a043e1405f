import LoadgenCore
import LoadgenHTTP
import ServiceLifecycle

extension Rig {
    /// A shard of a hub (`--hub`): no stand-ins of its own — the hub serves the bot's Graph API and proxies
    /// once for every shard and hands this one its users' replies, refusals and fault hits over the link.
    /// The shard delivers its users' webhooks and plays their status webhooks (it holds the app secret
    /// and the target; the hub needs neither), and judges its turns.
    static func assembleShard(
        _ plan: RunPlan, hub: ShardHub, trust: TrustedCertificates, secrets: RunSecrets, log: @escaping Log
    ) async throws(LoadgenFailure) -> Rig {
        guard let target = plan.target, let appSecret = secrets.appSecret, let shard = plan.shard else {
            throw LoadgenFailure(.software, "a shard of a hub was planned without a target, its app secret or its shard")
        }
        let connections = try OpenFiles.connections(for: plan, notice: log)
        let w = plan.workload
        let injector = w.chaos.isEmpty ? nil : FaultInjector(plan: w.chaos, seed: w.seed)
        let correlator = ReplyCorrelator<ContinuousClock.Instant>(users: w.users)
        let statuses = statusCallbacks(plan, users: correlator.users)  // a shard has no templates: --graph-templates is the hub's
        let link = try await HubLink.connect(hub, shard: shard, deliveries: .init(correlator: correlator, statuses: statuses, injector: injector),
                                             log: log)
        var services: [any Service] = [HubLinkService(link: link)]  // first to start, last to stop
        let live = try await liveMetrics(plan, log: log)
        services += live.services
        let client = try self.client(for: target, connections: connections, trust: trust)
        if let statuses { services.append(try statusService(statuses, to: .http(target), target: target, appSecret: appSecret, trust: trust)) }
        return Rig(plan: plan, target: target, bot: nil, appSecret: appSecret, verifyToken: secrets.verifyToken, healthURL: plan.healthURL,
                   graphAPI: hub.url.description, correlator: correlator, injector: injector, client: client, statusCallbacks: statuses,
                   liveMetrics: live.metrics, upstreamCalls: nil, graphProxy: nil, services: services, hub: link, trust: trust)
    }
}
