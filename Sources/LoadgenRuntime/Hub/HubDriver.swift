import LoadgenCore
import LoadgenHTTP
import ServiceLifecycle

/// `loadgen hub`: what a bot talks to, once for a run split across shards — the stand-in Graph API (and
/// the graph proxy, and fault proxies in front of the bot's upstreams) — with every bot send, refused
/// send and fault hit handed to the shard that owns the user (`HubRouter`). Shards connect out to it
/// (`loadgen run --hub URL --shard I/N`); it starts them together and ends when each has finished.
///
/// ```swift
/// let plan = try HubConfig(run: RunConfig(scenario: s), shards: 3).validated()
/// let status = try await HubDriver.run(plan, accessToken: nil, stop: StopSignal(), log: { print($0) })
/// ```
public enum HubDriver {
    /// Serves until every shard finished or is gone (or `stop` fires). `.pass` when every shard finished;
    /// `.unavailable` when one was lost or never came; `.interrupted` when stopped.
    public static func run(_ plan: HubPlan, accessToken: Secret?, stop: StopSignal, log: @escaping Log) async throws(LoadgenFailure)
        -> ExitStatus
    {
        let router = HubRouter(map: plan.shardMap, clock: MonotonicTime())
        let injector = plan.chaos.isEmpty ? nil : FaultInjector(plan: plan.chaos, seed: plan.seed, forward: router.fault)
        let standIn = GraphAPIStandIn.handing(
            phoneNumberID: plan.business.phoneNumberID, accessToken: accessToken, injector: injector,
            checks: GraphAPIStandIn.Checks(templates: plan.templates), onRefused: router.refused, to: router.accepted)
        let sessions = HubSessions(plan: plan, router: router, log: log) { start in
            injector?.begin(at: router.clock.instant(start), on: ContinuousClock())  // the hub's windows open with the shards'
        }
        let services = try await bind(plan, standIn: standIn, injector: injector, sessions: sessions, log: log)
        try await Services.run(services) { () async in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await sessions.done.wait() }
                group.addTask { await stop.wait() }
                await group.next()
                group.cancelAll()
            }
        }
        let (finished, lost, absent) = await sessions.outcome
        if stop.isTriggered, finished < plan.shards { log("stopped with \(finished) of \(plan.shards) shards finished"); return .interrupted }
        if !lost.isEmpty { log("the run is over; shards \(lost.map(String.init).joined(separator: ", ")) were lost before they finished") }
        if absent > 0 { log("the run is over; \(absent) of \(plan.shards) shards never joined") }
        guard lost.isEmpty, absent == 0 else { return .unavailable }
        log("the run is over: all \(plan.shards) shards finished; merge their reports with 'loadgen merge'")
        return .pass
    }

    /// Binds the shards' listener, the stand-in Graph API, the fault proxies and the graph proxy, saying
    /// where each listens; a taken address is exit 71.
    private static func bind(
        _ plan: HubPlan, standIn: GraphAPIStandIn, injector: FaultInjector?, sessions: HubSessions, log: @escaping Log
    ) async throws(LoadgenFailure) -> [any Service] {
        let listener: MessageSocketListener
        do { listener = try await MessageSocketListener.bind(host: plan.listen.host, port: plan.listen.port) } catch {
            let reason = String(describing: error).contains("in use") ? "address already in use" : String(describing: error)
            throw LoadgenFailure(.cannotListen, "--listen: cannot listen on \(plan.listen.host):\(plan.listen.port): \(reason)")
        }
        let graph = try await Rig.listen(plan.graphListen, what: "--graph-listen")
        log("stand-in Graph API listening on \(graph.baseURL) (bots send replies to \(graph.baseURL)/v20.0/\(plan.business.phoneNumberID)/messages)")
        var services: [any Service] = [HTTPService(description: "stand-in Graph API", server: graph, responder: standIn)]
        for spec in plan.upstreamProxies { services.append(try await Rig.proxy(spec, injector: injector, log: log)) }
        if let spec = plan.graphProxy { services.append(try await Rig.graphProxy(spec, standIn: standIn, log: log).service) }
        services.append(ShardListenerService(listener: listener, sessions: sessions))
        log("hub listening for \(plan.shards) shards on \(listener.baseURL) (loadgen run --hub \(listener.baseURL) --shard I/\(plan.shards) …)")
        return services
    }
}

/// The shards' listener, serving each connection through `HubSessions` until graceful shutdown.
struct ShardListenerService: Service, CustomStringConvertible {
    let listener: MessageSocketListener
    let sessions: HubSessions
    var description: String { "hub listener on \(listener.baseURL)" }

    func run() async throws {
        let sessions = self.sessions
        await cancelWhenGracefulShutdown { await listener.run { await sessions.serve($0) } }
    }
}
