import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenScenarios

extension Loadgen {
    /// `loadgen run` (the default): simulated users against a bot, measured against criteria.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run simulated WhatsApp users against a bot and judge the result (the default command).",
            discussion: """
            Without --target, loadgen starts its embedded reference bot and tests that. With --target, set WHATSAPP_APP_SECRET (or --app-secret-file) to the app secret the bot checks signatures with, and point the bot's Graph API base URL at the --graph-listen address so its replies reach loadgen. Optional: WHATSAPP_VERIFY_TOKEN (checks the handshake), WHATSAPP_ACCESS_TOKEN (the Bearer token the stand-in Graph API accepts; any token when unset).

            Exit codes: 0 pass, 1 criteria failed, 64 usage, 65 bad input file, 66 missing input file, 69 target unreachable, 70 internal error, 71 cannot listen, 73 cannot write report, 78 missing secret, 130 interrupted (partial report written).
            """)

        @Option(help: ArgumentHelp("The bot's webhook URL (GET handshake + POST deliveries). Default: the embedded reference bot.",
                                   valueName: "url"))
        var target: String?

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
                                   valueName: "time"))
        var duration: String?

        @Option(name: .customLong("think-time"),
                help: ArgumentHelp("Pause after each turn, drawn uniformly from MIN-MAX (e.g. 2s-5s), or a fixed time; 0 for none.",
                                   valueName: "range"))
        var thinkTime: String = "2s-5s"

        @Option(name: .customLong("reply-timeout"), help: ArgumentHelp("How long a reply may take after the message is sent.", valueName: "time"))
        var replyTimeout: String = "10s"

        @Option(name: .customLong("ack-timeout"), help: ArgumentHelp("How long the webhook POST may take to be answered.", valueName: "time"))
        var ackTimeout: String = "5s"

        @Option(help: ArgumentHelp("The scenario to run (see 'loadgen list').", valueName: "name"))
        var scenario: String = "generic"

        @Option(help: ArgumentHelp("""
            Comma-separated presets (\(CriteriaSet.presetNames.joined(separator: ", "))) and thresholds \
            such as reply.p99<800ms or errorRate<1%. Default: the scenario's own, else staging.
            """, valueName: "list"))
        var criteria: String?

        @Option(name: .customLong("report-dir"), help: ArgumentHelp("Where report.json goes. Default: reports/<timestamp>-<scenario>.",
                                                                   valueName: "dir"))
        var reportDir: String?

        @Option(parsing: .unconditional, help: "Seeds users' numbers, names, messages and pauses: the same seed repeats the same run.")
        var seed: UInt64 = 1

        @Option(name: .customLong("graph-listen"),
                help: ArgumentHelp("Where the stand-in Graph API listens (HOST:PORT; port 0 picks a free one).", valueName: "host:port"))
        var graphListen: String = "127.0.0.1:0"

        @OptionGroup var business: BusinessOptions

        @Option(help: ArgumentHelp("any: wait for each reply at the stand-in Graph API; none: judge acks only (replies cannot reach loadgen).",
                                   valueName: "any|none"))
        var replies: String = "any"

        @Option(name: .customLong("app-secret-file"), help: ArgumentHelp("Read the app secret from this file instead of WHATSAPP_APP_SECRET.",
                                                                        valueName: "path"))
        var appSecretFile: String?

        @Option(help: ArgumentHelp("A health URL to probe before the run (EasyMO worker or core JSON). The embedded bot's is probed by default.",
                                   valueName: "url"))
        var health: String?

        @Option(parsing: .unconditional, help: "Most open connections to the target (users share them). Default: min(concurrency, 512).")
        var connections: Int?

        @Option(parsing: .unconditional, help: "Stop each user after this many journeys (for bounded runs); the duration still applies.")
        var journeys: Int?

        @Option(parsing: .unconditional, help: ArgumentHelp(
            "Share of messages Meta delivers twice (same body and wamid; half of them concurrently), e.g. 0.05.",
            valueName: "fraction"))
        var duplicates: Double = 0

        @Option(parsing: .unconditional, help: "Redeliver a message whose webhook POST was not acked with 200, up to N times (at once, then after 1 s, 2 s, 4 s…); 0 = the first answer decides.")
        var retries: Int = 0

        @Option(parsing: .unconditional, help: ArgumentHelp(
            "Share of bursts (several messages typed back to back) Meta delivers out of order, e.g. 0.2.", valueName: "fraction"))
        var reorder: Double = 0

        @Option(parsing: .unconditional, help: "Batch up to N messages of different users into one POST, as Meta may (each waits at most 5 ms for company); 1 = off.")
        var batch: Int = 1

        @Option(help: ArgumentHelp("on: send sent/delivered/read status webhooks for every bot reply, as Meta does; off: none.",
                                   valueName: "on|off"))
        var statuses: String = "on"

        @Option(help: ArgumentHelp(
            "Inject failure patterns: PATTERN=RATE[@START-END],… e.g. ai-service-down=0.2@60s-120s,timeout=0.1 (see 'loadgen list patterns'). Upstream faults need the embedded bot.",
            valueName: "spec"))
        var chaos: String?

        @Option(help: ArgumentHelp(
            "With --target: host a fault proxy in front of one of the bot's real upstreams, NAME=URL@HOST:PORT (NAME: llm, database, search, sessions, payments, agents, graph); point the bot's base URL for it at HOST:PORT. Repeatable.",
            valueName: "name=url@host:port"))
        var upstream: [String] = []

        @Option(help: ArgumentHelp(
            "Run one shard of a run split across processes: users whose index is I modulo N (and 1/N of an open model's rate); 'loadgen merge' adds the shards' reports into the whole run's.",
            valueName: "I/N"))
        var shard: String?

        @Option(help: ArgumentHelp("Where Send.template steps find their NAME.json payload templates.", valueName: "dir"))
        var payloads: String = "payloads"

        @Option(name: .customLong("bot-defect"), help: ArgumentHelp(
            "Test switch: break one fallback of the embedded reference bot (a pattern name), to prove chaos runs catch it.",
            valueName: "pattern"))
        var botDefect: String?

        @Option(help: ArgumentHelp(ReportFormat.help, valueName: "formats"))
        var format: String = "all"

        @Option(name: .customLong("metrics-listen"), help: ArgumentHelp(
            "Serve live metrics at http://HOST:PORT/metrics (Prometheus text format) while the run goes on, for Grafana.",
            valueName: "host:port"))
        var metricsListen: String?

        @Flag(help: "No progress during the run (a terminal gets a live line; a log gets a line every 10 s).")
        var quiet = false

        func validate() throws {
            if let concurrency {
                guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1 (got \(concurrency))") }
                guard concurrency <= 100_000 else { throw ValidationError("--concurrency must be at most 100000 (got \(concurrency))") }
            }
            if let rate {
                guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be above 0 conversations per second (got \(rate))") }
                guard concurrency == nil else {
                    throw ValidationError("--rate (open model) and --concurrency (closed model) exclude each other; use --max-in-flight to cap an open run")
                }
            }
            if let maxInFlight {
                guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1 (got \(maxInFlight))") }
            }
            if let duration {
                guard let d = DurationText.parse(duration), d > .zero else {
                    throw ValidationError("--duration must be a positive time such as 300, 30s or 5m (got '\(duration)')")
                }
                guard d <= .seconds(86_400) else { throw ValidationError("--duration must be at most 24h (got '\(duration)')") }
            }
            guard DurationText.parseRange(thinkTime) != nil else {
                throw ValidationError("--think-time must be a time or a range MIN-MAX such as 2s-5s (got '\(thinkTime)')")
            }
            for (flag, value) in [("--reply-timeout", replyTimeout), ("--ack-timeout", ackTimeout)] {
                guard let t = DurationText.parse(value), t > .zero, t <= .seconds(120) else {
                    throw ValidationError("\(flag) must be a positive time up to 120s (got '\(value)')")
                }
            }
            if let metricsListen, HostPort.parse(metricsListen) == nil {
                throw ValidationError("--metrics-listen must be HOST:PORT such as 127.0.0.1:9464 (got '\(metricsListen)')")
            }
            guard ReportFormat.parse(format) != nil else {
                throw ValidationError("--format must be all or a list of json, md, junit, html (got '\(format)')")
            }
            guard replies == "any" || replies == "none" else { throw ValidationError("--replies must be any or none (got '\(replies)')") }
            guard statuses == "on" || statuses == "off" else { throw ValidationError("--statuses must be on or off (got '\(statuses)')") }
            guard (0...1).contains(duplicates) else { throw ValidationError("--duplicates must be a fraction between 0 and 1 (got \(duplicates))") }
            guard (0...1).contains(reorder) else { throw ValidationError("--reorder must be a fraction between 0 and 1 (got \(reorder))") }
            guard (1...1000).contains(batch) else { throw ValidationError("--batch must be between 1 and 1000 (got \(batch))") }
            guard (0...10).contains(retries) else { throw ValidationError("--retries must be between 0 and 10 (got \(retries))") }
            guard HostPort.parse(graphListen) != nil else {
                throw ValidationError("--graph-listen must be HOST:PORT such as 127.0.0.1:4100 (got '\(graphListen)')")
            }
            if let connections, connections < 1 { throw ValidationError("--connections must be at least 1 (got \(connections))") }
            if let journeys, journeys < 1 { throw ValidationError("--journeys must be at least 1 (got \(journeys))") }
            if let target {
                do { _ = try TargetURL(target) } catch { throw ValidationError("--target: \(error)") }
            }
            if let health {
                do { _ = try TargetURL(health) } catch { throw ValidationError("--health: \(error)") }
            }
            do { _ = try BuiltInScenarios.named(scenario) } catch { throw ValidationError(error.description) }
            if let criteria {
                do { _ = try CriteriaSet.parse(criteria) } catch { throw ValidationError(error.description) }
            }
            if let botDefect {
                guard FailurePattern(rawValue: botDefect) != nil else {
                    throw ValidationError("--bot-defect: unknown failure pattern '\(botDefect)' (see 'loadgen list patterns')")
                }
                guard target == nil else { throw ValidationError("--bot-defect breaks the embedded reference bot; it cannot be used with --target") }
            }
            if let chaos {
                let plan: ChaosPlan
                do { plan = try ChaosPlan.parse(chaos) } catch { throw ValidationError(error.description) }
                let proxied = Set(upstreamProxies.flatMap(\.sites))
                if target != nil, let missing = plan.faults.first(where: { $0.site != .traffic && !proxied.contains($0.site) }) {
                    let name = FaultProxy.sites.filter { $0.value.contains(missing.pattern.site) }.keys.sorted().first ?? "NAME"
                    throw ValidationError("--chaos \(missing.pattern.rawValue) is injected at the \(missing.pattern.site.rawValue): against --target, add --upstream \(name)=URL@HOST:PORT (a fault proxy this run hosts in front of the bot's real \(name) upstream) and point the bot's base URL for it there")
                }
            }
            if let shard {
                guard let s = RunPlan.Shard(shard) else {
                    throw ValidationError("--shard must be I/N with N at least 1 and I from 0 to N-1, e.g. 0/4 (got '\(shard)')")
                }
                if rate == nil, let concurrency, concurrency < s.count {
                    throw ValidationError("--shard \(s) with --concurrency \(concurrency) leaves some shards without users (give at least \(s.count))")
                }
            }
            for spec in upstream {
                if case .failure(let why) = UpstreamProxySpec.parse(spec) { throw ValidationError(why.message) }
            }
            if !upstream.isEmpty, target == nil {
                throw ValidationError("--upstream puts a fault proxy in front of an external bot's upstream; it needs --target (the embedded bot uses loadgen's own stand-ins)")
            }
        }

        /// The parsed `--upstream` proxies (invalid ones are reported by `validate`).
        var upstreamProxies: [UpstreamProxySpec] { upstream.compactMap { try? UpstreamProxySpec.parse($0).get() } }

        func run() async throws {
            let status: ExitStatus
            do throws(LoadgenFailure) {
                let options = try makeOptions(environment: ProcessInfo.processInfo.environment)
                let stop = StopSignal()
                let signals = SignalHandler.install(stop: stop) {
                    Self.log("stopping: no new turns; waiting for in-flight replies (press Ctrl-C again to abort)")
                }
                defer { signals.cancel() }
                let outcome = try await Harness.run(options, stop: stop, log: Self.log)
                print(ConsoleSummary.render(outcome.report, reportPaths: outcome.reportPaths))
                status = outcome.status
            } catch {
                Self.log("error: \(error.message)")
                status = error.status
            }
            if status != .pass { throw status.exitCode }
        }

        /// Builds the harness options from validated flags and the environment.
        func makeOptions(environment: [String: String]) throws(LoadgenFailure) -> HarnessOptions {
            let scenarioValue: Scenario
            do { scenarioValue = try BuiltInScenarios.named(scenario) } catch { throw LoadgenFailure(.usage, error.description) }
            let criteriaText = criteria ?? (scenarioValue.criteria.isEmpty ? "staging" : scenarioValue.criteria.joined(separator: ","))
            let sets: [CriteriaSet]
            do { sets = try CriteriaSet.parse(criteriaText) } catch { throw LoadgenFailure(.usage, error.description) }
            let secrets = SecretSources(environment: environment)
            let business = business.identity
            // Flags override the scenario's own load; without either, 10 users for 30 s.
            var users = 10
            var length = Duration.seconds(30)
            var schedule: ArrivalSchedule?
            switch scenarioValue.load {
            case .users(let n, let d)?: (users, length) = (n, d)
            case .arrivals(let r, let d, let cap)?:
                schedule = ArrivalSchedule(perSecond: r, for: d)
                users = cap ?? 1000
            case .stages(let stages, let cap)?:
                schedule = ArrivalSchedule(stages: stages)
                users = cap ?? 1000
            case nil: break
            }
            if let concurrency { (users, schedule) = (concurrency, nil) }
            if let duration { length = DurationText.parse(duration)! }
            if let rate { (schedule, users) = (ArrivalSchedule(perSecond: rate, for: length), 1000) }
            else if let s = schedule, duration != nil { schedule = ArrivalSchedule(stages: [.init(length, perSecond: s.finalRate)], startRate: s.finalRate) }
            if let maxInFlight { users = maxInFlight }
            var plan = RunPlan(
                scenario: scenarioValue, users: users, duration: schedule?.duration ?? length,
                thinkTime: DurationText.parseRange(thinkTime)!, replyTimeout: DurationText.parse(replyTimeout)!,
                awaitReplies: replies == "any", seed: seed, business: business, journeysPerUser: schedule == nil ? journeys : 1)
            if let s = shard.flatMap(RunPlan.Shard.init) {
                plan.shard = s
                plan.arrivals = schedule?.scaled(by: 1 / Double(s.count))
                guard !plan.makeUsers().isEmpty else {
                    throw LoadgenFailure(.usage, "--shard \(s) leaves this shard without users: the run has \(users) (give at least \(s.count))")
                }
            } else {
                plan.arrivals = schedule
            }
            plan.delivery = DeliveryOptions(duplicates: duplicates, retries: retries, batch: batch, reorder: reorder)
            plan.templates = try TemplateLoader.load(for: scenarioValue, from: payloads)
            plan.chaos = scenarioValue.chaos
            // Fresh message ids every run: a bot's dedup remembers ids for a day (EasyMO's worker: 24 h),
            // so a repeated run with the same seed would otherwise be ignored as duplicates.
            plan.wamidSalt = UInt64.random(in: 1 ..< (1 << 22)) << 42
            if let chaos { plan.chaos = (try? ChaosPlan.parse(chaos)) ?? plan.chaos }
            return HarnessOptions(
                target: try target.map { t throws(LoadgenFailure) in
                    do { return try TargetURL(t) } catch { throw LoadgenFailure(.usage, "--target: \(error)") }
                },
                plan: plan, criteria: sets, criteriaText: criteriaText, graphListen: HostPort.parse(graphListen)!,
                appSecret: try secrets.appSecret(file: appSecretFile), verifyToken: secrets.verifyToken,
                accessToken: secrets.accessToken, healthURL: health.flatMap { try? TargetURL($0) },
                connections: connections ?? min(users, 512), ackTimeout: DurationText.parse(ackTimeout)!,
                reportDir: reportDir ?? ReportWriter.defaultDirectory(scenario: scenario), formats: ReportFormat.parse(format)!, quiet: quiet,
                statusCallbacks: statuses == "on", botDefect: botDefect.flatMap(FailurePattern.init(rawValue:)),
                upstreamProxies: upstreamProxies, metricsListen: metricsListen.flatMap(HostPort.parse))
        }

        @Sendable static func log(_ line: String) {
            FileHandle.standardError.write(Data(("loadgen: " + line + "\n").utf8))
        }
    }
}
