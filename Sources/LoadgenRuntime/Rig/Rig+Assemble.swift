import LoadgenCore
import LoadgenHTTP
import ReferenceBot
import ServiceLifecycle

extension Rig {
    /// Binds everything `plan` needs, in the order each part must know the one before: the stand-in Graph
    /// API (the bot sends there), fault proxies, live metrics, the graph proxy in front of the stand-in,
    /// the embedded bot and its upstream stand-ins (or the external target), then the client and status
    /// callbacks that talk to the target.
    static func assemble(_ plan: RunPlan, secrets: RunSecrets, log: @escaping Log, observeUpstreams: Bool = false) async throws(LoadgenFailure) -> Rig {
        try requireSecrets(plan, secrets)
        let trust = try TargetTrustLoader.load(plan.targetCA)
        if let hub = plan.hub { return try await assembleShard(plan, hub: hub, trust: trust, secrets: secrets, log: log) }
        let connections = try OpenFiles.connections(for: plan, notice: log)  // before anything is opened
        let w = plan.workload
        let injector = w.chaos.isEmpty ? nil : FaultInjector(plan: w.chaos, seed: w.seed)
        let correlator = ReplyCorrelator<ContinuousClock.Instant>(users: w.users)
        let graph = try await listen(plan.graphListen, what: "--graph-listen")
        log("stand-in Graph API listening on \(graph.baseURL) (bots send replies to \(graph.baseURL)/v20.0/\(w.business.phoneNumberID)/messages)")
        var services: [any Service] = []
        for spec in plan.upstreamProxies { services.append(try await proxy(spec, injector: injector, log: log)) }
        let live = try await liveMetrics(plan, log: log)
        services += live.services
        let statuses = statusCallbacks(plan, users: correlator.users)
        let (limits, checks) = graphChecks(plan, statuses: statuses, log: log)
        let standIn = GraphAPIStandIn(phoneNumberID: w.business.phoneNumberID, accessToken: secrets.accessToken, injector: injector,
                                      checks: checks, onRefused: { correlator.refused() }) { send, at in
            correlator.deliver(send, at: at)
            statuses?.enqueue(send)
        }
        var proxyLedger: GraphProxyLedger?
        if let spec = plan.graphProxy {
            let proxy = try await graphProxy(spec, standIn: standIn, log: log)
            services.append(proxy.service)
            proxyLedger = proxy.ledger
        }
        let target: TargetRig
        if let given = plan.target, let appSecret = secrets.appSecret {
            target = TargetRig(url: given, appSecret: appSecret, verifyToken: secrets.verifyToken, healthURL: plan.healthURL)
        } else {
            target = try await embeddedBot(plan, graph: graph, standIn: standIn, secrets: secrets, injector: injector,
                                           observeUpstreams: observeUpstreams, log: log)
        }
        services += target.services
        let client = try self.client(for: target.url, connections: connections, trust: trust)
        if let statuses {
            let route: Route = target.bot.map { .inProcess($0.webhook) } ?? .http(target.url)  // the embedded bot's: in process
            services.append(try statusService(statuses, to: route, target: target.url, appSecret: target.appSecret, trust: trust))
        }
        services.insert(HTTPService(description: "stand-in Graph API", server: graph, responder: standIn), at: 0)
        return Rig(plan: plan, target: target.url, bot: target.bot, appSecret: target.appSecret, verifyToken: target.verifyToken,
                   healthURL: target.healthURL, graphAPI: graph.baseURL, correlator: correlator, injector: injector, client: client,
                   statusCallbacks: statuses, liveMetrics: live.metrics, upstreamCalls: target.upstreamCalls, graphProxy: proxyLedger,
                   services: services, graphLimits: limits, trust: trust)
    }

    /// Live metrics, when the plan serves them (`--metrics-listen`), and their server.
    static func liveMetrics(_ plan: RunPlan, log: Log) async throws(LoadgenFailure) -> (metrics: LiveMetrics?, services: [any Service]) {
        guard let address = plan.metricsListen else { return (nil, []) }
        let live = LiveMetrics(scenario: plan.workload.scenario.name, chaos: plan.workload.chaos, shard: plan.shard)
        let server = try await listen(address, what: "--metrics-listen")
        log("live metrics (Prometheus) at \(server.baseURL)/metrics")
        return (live, [HTTPService(description: "live metrics", server: server, responder: live)])
    }

    /// Pooled connections to the target's origin.
    static func client(for target: TargetURL, connections: Int, trust: TrustedCertificates) throws(LoadgenFailure) -> HTTPClient {
        do { return try HTTPClient(origin: target.origin, maxConnections: connections, trust: trust) } catch {
            throw LoadgenFailure(.usage, "cannot set up a client for \(target): \(error)")
        }
    }

    /// Meta's status webhooks of `plan`'s run (nil with `--statuses off`), pricing template sends by the
    /// business's templates and naming their users from `users`, unless the workload sends no BSUIDs.
    static func statusCallbacks(_ plan: RunPlan, users: UserDirectory) -> StatusCallbacks? {
        guard plan.statusCallbacks else { return nil }
        let w = plan.workload
        return StatusCallbacks(business: w.business, templates: plan.graph.templates, recipients: w.includeBSUID ? users : nil)
    }

    /// Meta's status webhooks to the target's webhook, signed with its app secret.
    static func statusService(_ statuses: StatusCallbacks, to route: Route, target: TargetURL, appSecret: Secret, trust: TrustedCertificates)
        throws(LoadgenFailure) -> any Service
    {
        do {
            let delivery = try StatusCallbacks.Delivery(to: route, path: target.pathAndQuery, appSecret: appSecret, trust: trust)
            return StatusCallbacksService(callbacks: statuses, delivery: delivery)
        } catch {
            throw LoadgenFailure(.usage, "cannot set up the status callbacks' client for \(target): \(error)")
        }
    }

    /// An external target needs its app secret: loadgen signs every delivery with it.
    static func requireSecrets(_ plan: RunPlan, _ secrets: RunSecrets) throws(LoadgenFailure) {
        if plan.target != nil, secrets.appSecret == nil {
            throw LoadgenFailure(.config, "set WHATSAPP_APP_SECRET (or pass --app-secret-file) to the app secret the target checks signatures with")
        }
    }

    /// The target's side of the rig: its URL and secrets, and for the embedded bot its services.
    private struct TargetRig {
        var url: TargetURL
        var appSecret: Secret
        var verifyToken: Secret?
        var healthURL: TargetURL?
        var services: [any Service] = []
        var upstreamCalls: UpstreamCallLog?
        var bot: ReferenceBot?
    }

    /// The embedded reference bot with generated secrets, replying to the stand-in Graph API and calling
    /// its upstreams on stand-ins that inject the run's faults — in process, without a socket between
    /// them (`Route.inProcess`), as are the status webhooks the stand-in sends it; the users' webhooks,
    /// what loadgen measures, stay HTTP. (`loadgen serve` runs the same bot with all of it on sockets.)
    private static func embeddedBot(
        _ plan: RunPlan, graph: HTTPServer, standIn: GraphAPIStandIn, secrets: RunSecrets, injector: FaultInjector?,
        observeUpstreams: Bool, log: Log
    ) async throws(LoadgenFailure) -> TargetRig {
        let appSecret = Secret.generate(), verifyToken = Secret.generate()
        let calls = observeUpstreams ? UpstreamCallLog() : nil
        let standIns = UpstreamCallLog.Recording(UpstreamStandIns(injector: injector), into: calls)
        var config = try BotConfiguration.embedded(
            appSecret: appSecret, verifyToken: verifyToken, accessToken: secrets.accessToken ?? .generate(), graph: graph.baseURL,
            upstreams: standIns, phoneNumberID: plan.workload.business.phoneNumberID, options: plan.embeddedBot)
        config.graphInProcess = standIn
        if !plan.embeddedBot.verifiesSignatures {
            log("WARNING: the embedded bot does NOT check signatures (test switch): it accepts unsigned deliveries")
        }
        if let defect = plan.embeddedBot.defect { log("WARNING: the embedded bot runs with a broken \(defect.rawValue) fallback (--bot-defect)") }
        let bot: ReferenceBot
        do { bot = try ReferenceBot(config: config) } catch { throw LoadgenFailure(.software, "cannot start the reference bot: \(error)") }
        let server = try await listen(HostPort(host: "127.0.0.1", port: 0), what: "the reference bot") { h, p in try await bot.bind(host: h, port: p) }
        let url = try TargetURL.local(server.baseURL + "/webhook")
        log("embedded reference bot listening on \(url)")
        let health = if let given = plan.healthURL { given } else { try TargetURL.local(server.baseURL + "/health") }
        return TargetRig(url: url, appSecret: appSecret, verifyToken: verifyToken, healthURL: health,
                         services: [ReferenceBotService(bot: bot, server: server)], upstreamCalls: calls, bot: bot)
    }

    /// A fault proxy in front of an external target's real upstream, injecting the run's own plan, so the
    /// faults it injects are traced to turns (X-Correlation-ID) and judged like the stand-ins'.
    static func proxy(_ spec: UpstreamProxySpec, injector: FaultInjector?, log: Log) async throws(LoadgenFailure) -> any Service {
        let proxy: FaultProxy
        do { proxy = try FaultProxy(upstream: spec.upstream, sites: spec.sites, injector: injector) } catch {
            throw LoadgenFailure(.usage, "--upstream \(spec.name): cannot set up a client for \(spec.upstream): \(error)")
        }
        let server = try await listen(spec.listen, what: "--upstream \(spec.name)")
        log("fault proxy for the bot's \(spec.name) upstream \(spec.upstream) listening on \(server.baseURL): the bot's \(spec.name) base URL must point there")
        return HTTPService(description: "fault proxy \(spec.name)", server: server, responder: proxy, afterwards: { proxy.shutdown() })
    }

    /// Binds `address`; a taken or invalid address is exit 71, said in one line.
    static func listen(
        _ address: HostPort, what: String,
        bind: (String, Int) async throws -> HTTPServer = { h, p in try await HTTPServer.bind(host: h, port: p) }
    ) async throws(LoadgenFailure) -> HTTPServer {
        do { return try await bind(address.host, address.port) } catch {
            let reason = String(describing: error).contains("in use") ? "address already in use" : String(describing: error)
            throw LoadgenFailure(.cannotListen, "\(what): cannot listen on \(address.host):\(address.port): \(reason)")
        }
    }
}

extension TargetURL {
    /// A URL loadgen made from an address it bound itself: valid by construction.
    static func local(_ text: String) throws(LoadgenFailure) -> TargetURL {
        do { return try TargetURL(text) } catch { throw LoadgenFailure(.software, "an address loadgen bound is not a URL: \(text)") }
    }
}

extension BotConfiguration {
    /// The embedded bot's configuration: generated secrets, the stand-ins as its Graph API and upstreams,
    /// a 2 s LLM deadline (EasyMO's is 30 s), so a slow-LLM fault is answered well inside the reply timeout.
    static func embedded(
        appSecret: Secret, verifyToken: Secret, accessToken: Secret, graph: String, upstreams: any HTTPResponder, phoneNumberID: String,
        options: EmbeddedBotOptions
    ) throws(LoadgenFailure) -> BotConfiguration {
        var config = BotConfiguration(appSecret: appSecret, verifyToken: verifyToken, accessToken: accessToken,
                                      graphBaseURL: try .local(graph + "/v20.0"), phoneNumberID: phoneNumberID)
        config.upstreams = .inProcess(upstreams)
        config.llmDeadline = .seconds(2)
        config.defect = options.defect.map(BotDefect.init(breaking:))
        config.verifySignatures = options.verifiesSignatures
        return config
    }
}
