import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenFiles
import LoadgenRuntime

extension Loadgen {
    /// `loadgen hub`: the bot's Graph API and proxies once for a run split across shards.
    struct Hub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve one bot's Graph API (and proxies) for every shard of a run, route each reply to its shard, and start the shards together.",
            discussion: """
            Give the hub the shards' scenario, load, seed, users and chaos flags (it mints the same users, so a number names its shard), and --shards N. Point the bot's Graph API base URL at --graph-listen (or its HTTPS_PROXY at --graph-proxy), and its upstreams at the --upstream proxies. Then start each shard:
              loadgen run --hub http://HUB:7000 --shard I/N --target URL [the same flags] --report-dir shard-I
            The hub starts the run when all N shards are ready (or at --start-at), and exits when every shard has finished: then 'loadgen merge shard-*'.

            Optional: WHATSAPP_ACCESS_TOKEN (the Bearer token the stand-in accepts; any when unset).

            Exit codes: 0 every shard finished, 64 usage, 65 bad input file, 66 missing input file, 69 a shard was lost or never came, 71 cannot listen, 73 cannot write the CA, 130 interrupted.
            """)

        @OptionGroup var load: LoadOptions

        @Option(parsing: .unconditional, help: "How many shards the run has (each connects with --shard I/N).")
        var shards: Int

        @Option(help: ArgumentHelp("Where shards connect (HOST:PORT; 0.0.0.0 for every interface). Default: 127.0.0.1:7000.",
                                   valueName: "host:port"), transform: Arguments.hostPort)
        var listen = HostPort(host: "127.0.0.1", port: 7000)

        @Option(name: .customLong("graph-listen"), help: ArgumentHelp(
            "Where the stand-in Graph API listens: the bot's Graph base URL. Default: 127.0.0.1:4100.", valueName: "host:port"),
            transform: Arguments.hostPort)
        var graphListen = HostPort(host: "127.0.0.1", port: 4100)

        @OptionGroup var business: BusinessOptions

        @Option(help: ArgumentHelp("Inject failure patterns, as the shards are told: PATTERN=RATE[@START-END],…", valueName: "spec"),
                transform: Arguments.chaos)
        var chaos: ChaosPlan?

        @Option(help: ArgumentHelp(
            "A fault proxy in front of one of the bot's real upstreams, NAME=URL@HOST:PORT, its hits routed to the shard whose turn they are (X-Correlation-ID). Repeatable.",
            valueName: "name=url@host:port"), transform: Arguments.upstream)
        var upstream: [UpstreamProxySpec] = []

        @OptionGroup var graph: GraphOptions
        @OptionGroup var graphProxy: GraphProxyOptions

        @Option(name: .customLong("start-at"), help: ArgumentHelp(
            "Start the run at this wall-clock time (ISO 8601, e.g. 2026-12-01T10:00:00Z) with the shards ready by then, instead of when all are ready.",
            valueName: "time"), transform: Self.time)
        var startAt: Int64?

        @Option(name: .customLong("start-delay"), help: ArgumentHelp(
            "How long after the last shard is ready the run starts. Default: 2s.", valueName: "time"), transform: Arguments.duration)
        var startDelay: Duration = .seconds(2)

        static func time(_ text: String) throws -> Int64 {
            let formatter = ISO8601DateFormatter()
            for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
                formatter.formatOptions = options
                if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
            }
            throw ValidationError("write an ISO 8601 time with its zone, e.g. 2026-12-01T10:00:00Z")
        }

        static func iso(_ unixMilliseconds: Int64) -> String {
            ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000))
        }

        func validate() throws {
            if let startAt, startAt <= Int64(Date().timeIntervalSince1970 * 1000) {
                throw ValidationError("--start-at \(Self.iso(startAt)) has passed: give a time in the future")
            }
            guard let source = try load.scenarioFile.sourceForValidation(named: load.scenario) else { return }
            do { _ = try config(with: source.scenario).validated() } catch { throw ValidationError(error.message) }
        }

        private func config(with scenario: Scenario) -> HubConfig {
            var run = RunConfig(scenario: scenario)
            load.apply(to: &run)
            run.business = business.identity
            run.chaos = chaos
            graph.apply(to: &run)
            var config = HubConfig(run: run, shards: shards)
            config.listen = listen
            config.graphListen = graphListen
            config.upstreamProxies = upstream
            config.graphProxy = graphProxy.spec
            config.startAt = startAt
            config.startLead = startDelay
            return config
        }

        /// The hub's plan, from the flags, the scenario (file), the users file and the templates file.
        func plan(environment: [String: String]) throws(LoadgenFailure) -> HubPlan {
            let source = try load.scenarioFile.source(named: load.scenario)
            var config = config(with: source.scenario)
            if let path = load.usersFile ?? source.usersFile { config.run.usersFile = try UsersFileLoader.load(path, seed: config.run.seed) }
            try graph.load(into: &config.run)
            config.graphProxy = try graphProxy.resolved(environment: environment)
            do { return try config.validated() } catch { throw LoadgenFailure(error) }
        }

        func run() async throws {
            try await runCommand { () throws(LoadgenFailure) in
                let environment = ProcessInfo.processInfo.environment
                let plan = try self.plan(environment: environment)
                let stop = StopSignal()
                let signals = SignalHandler.install(stop: stop) { Loadgen.log("stopping the hub") }
                defer { signals.cancel() }
                return try await HubDriver.run(plan, accessToken: SecretSources(environment: environment).accessToken, stop: stop, log: Loadgen.log)
            }
        }
    }
}
