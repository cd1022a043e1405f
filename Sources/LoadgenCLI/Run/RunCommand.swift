import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenFiles
import LoadgenRuntime
import LoadgenScenarios

extension Loadgen {
    /// `loadgen run` (the default): simulated users against a bot, measured against criteria.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run simulated WhatsApp users against a bot and judge the result (the default command).",
            discussion: """
            Without --target, loadgen starts its embedded reference bot and tests that. With --target, set WHATSAPP_APP_SECRET (or --app-secret-file) to the app secret the bot checks signatures with, and point the bot's Graph API base URL at the --graph-listen address so its replies reach loadgen — or, for a bot whose Graph host is hard-coded, run with --graph-proxy and start the bot with HTTPS_PROXY at it, trusting loadgen's CA. Optional: WHATSAPP_VERIFY_TOKEN (checks the handshake), WHATSAPP_ACCESS_TOKEN (the Bearer token the stand-in Graph API accepts; any token when unset).

            Exit codes: 0 pass, 1 criteria failed, 64 usage, 65 bad input file, 66 missing input file, 69 target unreachable or its TLS certificate not trusted (--target-ca), 70 internal error, 71 cannot listen, 73 cannot write the report or the CA, 78 missing secret, 130 interrupted (partial report written).
            """)

        @OptionGroup var load: LoadOptions
        @OptionGroup var target: TargetOptions
        @OptionGroup var delivery: DeliveryFlags
        @OptionGroup var report: ReportOptions
        @OptionGroup var graph: GraphOptions
        @OptionGroup var graphProxy: GraphProxyOptions

        func validate() throws {
            guard let source = try load.scenarioFile.sourceForValidation(named: load.scenario) else { return }
            do {
                var config = config(with: source.scenario)
                if let path = load.usersFile ?? source.usersFile {
                    // A users file that cannot be read is refused by `plan` with its own exit code (66, 65).
                    guard let file = try? UsersFileLoader.load(path, seed: config.seed) else { return }
                    config.usersFile = file
                }
                _ = try config.validated()
            } catch { throw ValidationError(error.message) }
        }

        /// What the flags ask for (the payload templates are loaded by `plan`).
        func config() throws(ConfigError) -> RunConfig {
            do { return config(with: try load.scenarioFile.source(named: load.scenario).scenario) } catch { throw ConfigError(error.message) }
        }

        private func config(with scenario: Scenario) -> RunConfig {
            var config = RunConfig(scenario: scenario)
            load.apply(to: &config)
            target.apply(to: &config)
            delivery.apply(to: &config)
            report.apply(to: &config)
            graph.apply(to: &config)
            config.graphProxy = graphProxy.spec
            config.wamidSalt = Workload.randomWamidSalt()  // fresh message ids every run
            return config
        }

        /// The plan and secrets, from the flags, the scenario (file), the payload templates, the users file
        /// and the environment.
        func plan(environment: [String: String]) throws(LoadgenFailure) -> (RunPlan, RunSecrets) {
            let source = try load.scenarioFile.source(named: load.scenario)
            var config = config(with: source.scenario)
            if let given = load.payloads, !FileManager.default.fileExists(atPath: given) {
                throw LoadgenFailure(.noInput, "--payloads: no such directory: \(given)")
            }
            config.templates = try TemplateLoader.load(for: config.scenario, from: load.payloads ?? "payloads")
            if let path = load.usersFile ?? source.usersFile { config.usersFile = try UsersFileLoader.load(path, seed: config.seed) }
            try graph.load(into: &config)
            config.graphProxy = try graphProxy.resolved(environment: environment)
            let plan: RunPlan
            do { plan = try config.validated() } catch { throw LoadgenFailure(error) }
            return (plan, try SecretSources(environment: environment).secrets(appSecretFile: target.appSecretFile))
        }

        func run() async throws {
            try await runCommand { () throws(LoadgenFailure) in
                let (plan, secrets) = try self.plan(environment: ProcessInfo.processInfo.environment)
                let stop = StopSignal()
                let signals = SignalHandler.install(stop: stop) {
                    Loadgen.log("stopping: no new turns; waiting for in-flight replies (press Ctrl-C again to abort)")
                }
                defer { signals.cancel() }
                let outcome = try await RunDriver.run(plan, secrets: secrets, stop: stop, log: Loadgen.log)
                return outcome.printed()
            }
        }
    }
}
