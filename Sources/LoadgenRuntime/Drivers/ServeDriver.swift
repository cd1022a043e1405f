import Foundation
import LoadgenCore
import LoadgenHTTP
import ReferenceBot
import ServiceLifecycle

/// `loadgen serve`: the reference bot, its stand-in upstreams and (unless its replies go elsewhere) a
/// stand-in Graph API, as services until Ctrl-C — the external-target workflow, tried locally.
public enum ServeDriver {
    /// How the served bot is set up.
    public struct Options: Sendable {
        public var listen: HostPort
        public var graphListen: HostPort
        /// Send the bot's replies here instead of to a stand-in of its own.
        public var graphURL: TargetURL?
        public var phoneNumberID: String
        public var rateLimit: Int
        public var secretsFile: String
        public var verifySignatures: Bool
        public var defect: FailurePattern?
        /// The bot's LLM base URL (EasyMO's OPENAI_BASE_URL); nil = the stand-in upstreams.
        public var llmURL: TargetURL?

        public init(listen: HostPort, graphListen: HostPort, graphURL: TargetURL?, phoneNumberID: String, rateLimit: Int,
                    secretsFile: String, verifySignatures: Bool, defect: FailurePattern?, llmURL: TargetURL?) {
            self.listen = listen
            self.graphListen = graphListen
            self.graphURL = graphURL
            self.phoneNumberID = phoneNumberID
            self.rateLimit = rateLimit
            self.secretsFile = secretsFile
            self.verifySignatures = verifySignatures
            self.defect = defect
            self.llmURL = llmURL
        }
    }

    /// Serves until `stop` fires. Unset secrets are generated and written to `secretsFile` (mode 600).
    public static func run(_ o: Options, environment: SecretSources, stop: StopSignal, log: @escaping Log) async throws(LoadgenFailure) {
        let given = RunSecrets(appSecret: try? environment.appSecret(file: nil), verifyToken: environment.verifyToken,
                               accessToken: environment.accessToken)
        let secrets = (app: given.appSecret ?? .generate(), verify: given.verifyToken ?? .generate(), access: given.accessToken ?? .generate())
        let generated = given.appSecret == nil || given.verifyToken == nil || given.accessToken == nil
        if generated { try writeSecrets(secrets, to: o.secretsFile) }
        var services: [any Service] = []
        let graphBase: TargetURL
        if let url = o.graphURL { graphBase = url } else {
            let graph = try await Rig.listen(o.graphListen, what: "--graph-listen")
            let responder = GraphAPIStandIn(phoneNumberID: o.phoneNumberID, accessToken: secrets.access) { _, _ in }
            services.append(HTTPService(description: "stand-in Graph API", server: graph, responder: responder))
            graphBase = try .local(graph.baseURL + "/v20.0")
            log("stand-in Graph API listening on \(graph.baseURL)")
        }
        let upstreams = try await Rig.listen(HostPort(host: "127.0.0.1", port: 0), what: "the stand-in upstreams")
        services.append(HTTPService(description: "stand-in upstreams", server: upstreams, responder: UpstreamStandIns(injector: nil)))
        var config = BotConfiguration(appSecret: secrets.app, verifyToken: secrets.verify, accessToken: secrets.access, graphBaseURL: graphBase,
                                      phoneNumberID: o.phoneNumberID, rateLimitPerMinute: o.rateLimit, verifySignatures: o.verifySignatures)
        config.upstreams = .http(try .local(upstreams.baseURL))
        config.llmBaseURL = o.llmURL
        config.defect = o.defect.map(BotDefect.init(breaking:))
        let bot: ReferenceBot
        let server: HTTPServer
        do { bot = try ReferenceBot(config: config) } catch { throw LoadgenFailure(.software, "cannot start the reference bot: \(error)") }
        server = try await Rig.listen(o.listen, what: "--listen") { h, p in try await bot.bind(host: h, port: p) }
        services.append(ReferenceBotService(bot: bot, server: server))
        log("reference bot: webhook \(server.baseURL)/webhook, health \(server.baseURL)/health")
        log("bot replies go to \(graphBase)/\(o.phoneNumberID)/messages")
        log("stand-in upstreams (LLM, database, ranking, payments, agents) on \(upstreams.baseURL)"
            + (o.llmURL.map { "; the bot calls its LLM at \($0)" } ?? ""))
        if generated { log("generated secrets written to \(o.secretsFile)") }
        if !o.verifySignatures { log("WARNING: signature check is OFF (--no-signature-check): the bot accepts unsigned deliveries") }
        log("press Ctrl-C to stop")
        try await Services.run(services) { await stop.wait() }
        let counts = bot.counts
        log("stopped; the bot answered \(counts.processed) messages with \(counts.replied) replies (\(counts.sendFailures) failed to send)")
    }

    private static func writeSecrets(_ s: (app: Secret, verify: Secret, access: Secret), to path: String) throws(LoadgenFailure) {
        let text = "WHATSAPP_APP_SECRET=\(s.app.value)\nWHATSAPP_VERIFY_TOKEN=\(s.verify.value)\nWHATSAPP_ACCESS_TOKEN=\(s.access.value)\n"
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            try Data(text.utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        } catch {
            throw LoadgenFailure(.cannotWriteReport, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// `loadgen proxy`: one fault-injecting reverse proxy in front of a real upstream, until Ctrl-C.
public enum ProxyDriver {
    /// Serves until `stop` fires; returns the faults injected per pattern.
    public static func run(
        upstream: UpstreamProxySpec, chaos: ChaosPlan, seed: UInt64, stop: StopSignal, log: @escaping Log
    ) async throws(LoadgenFailure) -> [FailurePattern: UInt64] {
        let injector = FaultInjector(plan: chaos, seed: seed)
        let proxy: FaultProxy
        do { proxy = try FaultProxy(upstream: upstream.upstream, sites: upstream.sites, injector: injector) } catch {
            throw LoadgenFailure(.usage, "--upstream: cannot set up a client for \(upstream.upstream): \(error)")
        }
        let server = try await Rig.listen(upstream.listen, what: "--listen")
        log("fault proxy for the \(upstream.name) upstream \(upstream.upstream) listening on \(server.baseURL); press Ctrl-C to stop")
        let clock = ContinuousClock()
        injector.begin(at: clock.now, on: clock)  // windows count from the proxy's start
        try await Services.run([HTTPService(description: "fault proxy", server: server, responder: proxy, afterwards: { proxy.shutdown() })]) {
            await stop.wait()
        }
        return injector.injected
    }
}
