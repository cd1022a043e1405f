import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import ReferenceBot
import Synchronization

/// Everything one `loadgen run` needs, already parsed and validated.
struct HarnessOptions: Sendable {
    /// The bot's webhook URL; nil = start the embedded reference bot.
    var target: TargetURL?
    var plan: RunPlan
    var criteria: [CriteriaSet]
    var criteriaText: String
    var graphListen: HostPort
    var appSecret: Secret?
    var verifyToken: Secret?
    var accessToken: Secret?
    var healthURL: TargetURL?
    var connections: Int
    var ackTimeout: Duration
    var reportDir: String
    var formats: Set<ReportFormat> = Set(ReportFormat.allCases)
    var quiet: Bool
    /// Send sent/delivered/read status webhooks for every bot reply, as Meta does.
    var statusCallbacks: Bool = true
    /// Test switch: a broken fallback in the embedded bot.
    var botDefect: FailurePattern? = nil
    /// Fault proxies the run hosts in front of an external target's real upstreams (`--upstream`).
    var upstreamProxies: [UpstreamProxySpec] = []
    /// Where live Prometheus metrics are served during the run (`--metrics-listen`), if anywhere.
    var metricsListen: HostPort? = nil
    /// Smoke: the users to simulate (allow-listed test numbers) instead of generated ones.
    var users: [SimulatedUser]? = nil
    /// Smoke: headers on every delivery, so the target can filter the traffic out.
    var deliveryHeaders: [String: String] = [:]
    /// Test switch: with false the embedded bot accepts unsigned and badly signed deliveries.
    var botVerifiesSignatures = true
    /// Smoke: an ordered checklist run instead of the preflight, before the load, on the run's wiring.
    var checklist: (@Sendable (ChecklistContext) async throws(LoadgenFailure) -> ChecklistOutcome)? = nil
    /// Smoke: the report's smoke section.
    var smoke: SmokeReport? = nil
}

/// What a run left behind.
struct HarnessOutcome: Sendable {
    var report: Report
    /// report.json first, then the other formats written.
    var reportPaths: [String]
    var reportPath: String { reportPaths[0] }
    var status: ExitStatus
}

/// Wires one run: the stand-in Graph API, the embedded bot when there is no target, the preflight
/// checks, the engine, and the report. All servers are children of one task group and stop with it.
enum Harness {
    static func run(
        _ o: HarnessOptions, stop: StopSignal, log: @escaping @Sendable (String) -> Void
    ) async throws(LoadgenFailure) -> HarnessOutcome {
        let clock = ContinuousClock()
        let users = o.users ?? o.plan.makeUsers()
        let injector = o.plan.chaos.isEmpty ? nil : FaultInjector(plan: o.plan.chaos, seed: o.plan.seed)
        let correlator = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        let startedAt = Date()
        if o.target != nil, o.appSecret == nil {
            throw LoadgenFailure(.config, "set WHATSAPP_APP_SECRET (or pass --app-secret-file) to the app secret the target checks signatures with")
        }

        let graphServer = try await listen(o.graphListen, what: "--graph-listen")
        let callbacks = StatusCallbacksSlot()
        let standIn = GraphAPIStandIn(phoneNumberID: o.plan.business.phoneNumberID, accessToken: o.accessToken,
                                      injector: injector) { send, receivedAt in
            correlator.deliver(send, at: receivedAt)
            callbacks.value?.enqueue(send)
        }
        log("stand-in Graph API listening on \(graphServer.baseURL) (bots send replies to \(graphServer.baseURL)/v20.0/\(o.plan.business.phoneNumberID)/messages)")

        // Fault proxies in front of an external target's real upstreams, injecting the run's own plan,
        // so the faults they inject are traced to turns (X-Correlation-ID) and judged like the stand-ins'.
        var proxies: [(FaultProxy, HTTPServer)] = []
        for spec in o.upstreamProxies {
            let proxy: FaultProxy
            do { proxy = try FaultProxy(upstream: spec.upstream, sites: spec.sites, injector: injector) } catch {
                throw LoadgenFailure(.usage, "--upstream \(spec.name): cannot set up a client for \(spec.upstream): \(error)")
            }
            proxies.append((proxy, try await listen(spec.listen, what: "--upstream \(spec.name)")))
            log("fault proxy for the bot's \(spec.name) upstream \(spec.upstream) listening on \(proxies.last!.1.baseURL): the bot's \(spec.name) base URL must point there")
        }
        defer { for (proxy, _) in proxies { proxy.shutdown() } }

        var live: (LiveMetrics, HTTPServer)?
        if let address = o.metricsListen {
            live = (LiveMetrics(scenario: o.plan.scenario.name, chaos: o.plan.chaos), try await listen(address, what: "--metrics-listen"))
            log("live metrics (Prometheus) at \(live!.1.baseURL)/metrics")
        }

        // The embedded bot gets generated secrets and stand-in upstreams; an external target needs the real app secret.
        var bot: (ReferenceBot, HTTPServer)?
        var upstreamServer: HTTPServer?
        let upstreamCalls = o.checklist == nil ? nil : UpstreamCallLog()  // smoke: "was the AI called?"
        let target: TargetURL
        let appSecret: Secret
        var verifyToken = o.verifyToken
        var healthURL = o.healthURL
        if let given = o.target {
            target = given
            appSecret = o.appSecret!  // checked above
        } else {
            appSecret = Secret.generate()
            verifyToken = Secret.generate()
            let upstreams = try await listen(HostPort(host: "127.0.0.1", port: 0), what: "the stand-in upstreams")
            upstreamServer = upstreams
            var config = BotConfiguration(
                appSecret: appSecret, verifyToken: verifyToken!, accessToken: o.accessToken ?? Secret.generate(),
                graphBaseURL: try! TargetURL(graphServer.baseURL + "/v20.0"), phoneNumberID: o.plan.business.phoneNumberID)
            config.upstreams = try! TargetURL(upstreams.baseURL)
            // EasyMO's LLM deadline is 30 s; the embedded bot gives up after 2 s, so a slow-LLM fault is
            // answered (with partial results) well inside the reply timeout.
            config.llmDeadline = .seconds(2)
            config.defect = o.botDefect
            config.verifySignatures = o.botVerifiesSignatures
            if !o.botVerifiesSignatures { log("WARNING: the embedded bot does NOT check signatures (test switch): it accepts unsigned deliveries") }
            if let defect = o.botDefect { log("WARNING: the embedded bot runs with a broken \(defect.rawValue) fallback (--bot-defect)") }
            let reference: ReferenceBot
            do { reference = try ReferenceBot(config: config) } catch {
                throw LoadgenFailure(.software, "cannot start the reference bot: \(error)")
            }
            let server = try await listen(HostPort(host: "127.0.0.1", port: 0), what: "the reference bot") { h, p in
                try await reference.bind(host: h, port: p)
            }
            bot = (reference, server)
            target = try! TargetURL(server.baseURL + "/webhook")
            healthURL = healthURL ?? (try! TargetURL(server.baseURL + "/health"))
            log("embedded reference bot listening on \(target)")
        }

        let client: HTTPClient
        do { client = try HTTPClient(origin: target.origin, maxConnections: o.connections) } catch {
            throw LoadgenFailure(.usage, "cannot set up a client for \(target): \(error)")
        }
        let statuses = o.statusCallbacks
            ? try? StatusCallbacks(target: target, signer: WebhookSigner(appSecret: appSecret), business: o.plan.business) : nil
        callbacks.set(statuses)
        let outcome: Result<HarnessOutcome, LoadgenFailure> = await withTaskGroup(of: Void.self) { servers in
            servers.addTask { await graphServer.run(standIn) }
            for (proxy, server) in proxies { servers.addTask { await server.run(proxy) } }
            if let (metrics, server) = live { servers.addTask { await server.run(metrics) } }
            if let statuses { servers.addTask { await statuses.run() } }
            if let (reference, server) = bot { servers.addTask { await reference.run(on: server) } }
            if let upstreamServer { servers.addTask { await upstreamServer.run(UpstreamCallLog.Recording(UpstreamStandIns(injector: injector), into: upstreamCalls)) } }
            defer { servers.cancelAll() }
            do throws(LoadgenFailure) {
                var checks: [Report.ScriptedCheck] = []
                var healthOK: Bool?
                var plan = o.plan
                if let checklist = o.checklist {  // smoke: its own ordered checklist replaces the preflight
                    let outcome = try await checklist(ChecklistContext(
                        client: client, target: target, appSecret: appSecret, verifyToken: verifyToken, healthURL: healthURL,
                        correlator: correlator, users: users, plan: o.plan, upstreamCalls: upstreamCalls, deliveryHeaders: o.deliveryHeaders,
                        ackTimeout: o.ackTimeout, log: log))
                    (checks, healthOK) = (outcome.checks, outcome.healthOK)
                    if let why = outcome.skipLoad {
                        log("skipping the measured load: \(why)")
                        plan.duration = .zero
                    }
                } else {
                    checks.append(try await Preflight.handshake(client: client, target: target, verifyToken: verifyToken))
                    if let healthURL {
                        let (check, ok) = await Preflight.health(url: healthURL)
                        checks.append(check)
                        healthOK = ok
                    }
                }
                let load = o.plan.arrivals.map { "\(ConsoleSummary.fmt($0.meanRate)) conversations/s (at most \(o.plan.users) in flight)" }
                    ?? "\(o.plan.users) users"
                if plan.duration > .zero {
                    log("running scenario '\(o.plan.scenario.name)': \(load) for \(DurationText.seconds(o.plan.duration)) s against \(target)")
                }
                let engine = Engine(
                    clock: clock, transport: WebhookClient(client: client, target: target, ackTimeout: o.ackTimeout,
                                                         extraHeaders: o.deliveryHeaders),
                    signer: WebhookSigner(appSecret: appSecret), correlator: correlator,
                    unixTime: { Int64(Date().timeIntervalSince1970) }, injector: injector)
                let printer = o.quiet ? nil : ProgressPrinter(every: o.plan.progressInterval)
                let metrics = live?.0
                let result = await engine.run(plan, users: users, stop: stop) { p in
                    printer?.show(p)
                    metrics?.update(p)
                }
                printer?.finish()
                await statuses?.drain(within: .seconds(2))  // the last replies' delivered/read statuses
                client.shutdown()
                let failedChecks = checks.filter { $0.status == "fail" }.count
                let observations = Observations(metrics: result.metrics, repliesMeasured: o.plan.awaitReplies,
                                                healthOK: healthOK, checksFailed: failedChecks, correlation: correlator.counters)
                let evaluation = evaluate(o.criteria, against: observations)
                var info = Report.RunInfo(
                    scenario: o.plan.scenario.name, target: target.description, embeddedBot: bot != nil,
                    concurrency: users.count, model: o.plan.arrivals == nil ? "closed" : "open",
                    ratePerSecond: o.plan.arrivals.map { ($0.meanRate * 1000).rounded() / 1000 },
                    durationSeconds: DurationText.seconds(o.plan.duration),
                    elapsedSeconds: (DurationText.seconds(result.elapsed) * 1000).rounded() / 1000,
                    thinkTimeSeconds: [DurationText.seconds(o.plan.thinkTime.lowerBound), DurationText.seconds(o.plan.thinkTime.upperBound)],
                    replyTimeoutSeconds: DurationText.seconds(o.plan.replyTimeout), replies: o.plan.awaitReplies ? "any" : "none",
                    seed: o.plan.seed, graphAPI: graphServer.baseURL, business: o.plan.business,
                    criteria: o.criteria.map(\.name), criteriaSpec: o.criteriaText, startedAt: ISO8601DateFormatter().string(from: startedAt),
                    loadgenVersion: loadgenVersion)
                info.shard = o.plan.shard?.description
                var report = Report(run: info, metrics: result.metrics, correlation: correlator.counters,
                                    evaluation: evaluation, checks: checks, partial: result.partial, chaos: o.plan.chaos,
                                    timeline: result.timeline, untraced: injector?.untraced ?? [:])
                report.smoke = o.smoke
                report.delivery.statusCallbacks = statuses.map { s in
                    let c = s.delivered
                    return Report.StatusCallbackCounts(sent: c.sent, failed: c.failed, dropped: c.dropped)
                }
                let paths = try ReportWriter.write(report, formats: o.formats, to: o.reportDir)
                let status: ExitStatus = result.partial ? .interrupted : (report.verdict == .pass ? .pass : .criteriaFailed)
                return .success(HarnessOutcome(report: report, reportPaths: paths, status: status))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private static func listen(
        _ address: HostPort, what: String,
        bind: (String, Int) async throws -> HTTPServer = { h, p in try await HTTPServer.bind(host: h, port: p) }
    ) async throws(LoadgenFailure) -> HTTPServer {
        do { return try await bind(address.host, address.port) } catch {
            let reason = String(describing: error).contains("in use") ? "address already in use" : String(describing: error)
            throw LoadgenFailure(.cannotListen, "\(what): cannot listen on \(address.host):\(address.port): \(reason)")
        }
    }
}

/// Lets the stand-in's handler, created before the target is known, reach the status callbacks.
final class StatusCallbacksSlot: Sendable {
    private let slot = Mutex<StatusCallbacks?>(nil)
    func set(_ callbacks: StatusCallbacks?) { slot.withLock { $0 = callbacks } }
    var value: StatusCallbacks? { slot.withLock { $0 } }
}

/// The version printed by `--version` and recorded in reports.
let loadgenVersion = "0.2.0"
