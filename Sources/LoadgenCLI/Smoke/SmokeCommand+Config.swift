import Foundation
import LoadgenCore
import LoadgenFiles
import LoadgenRuntime
import LoadgenScenarios

extension Loadgen.Smoke {
    /// What the flags ask for (the test numbers are read by `plan`).
    func config() throws(ConfigError) -> SmokeConfig {
        let source: ScenarioFile.Document
        do { source = try scenarioFile.source(named: scenario) } catch { throw ConfigError(error.message) }
        return try config(with: source.scenario)
    }

    func config(with scenarioValue: Scenario) throws(ConfigError) -> SmokeConfig {
        let prod: CriteriaSpec
        do { prod = try CriteriaSpec("prod") } catch { throw ConfigError(error.description) }
        var config = SmokeConfig(scenario: scenarioValue, criteria: criteria ?? prod)
        config.env = env
        config.target = target
        config.health = health
        config.targetCA = targetCA
        config.testNumbersFile = testNumbers
        config.rolloutPercent = rolloutPercent
        config.users = users
        if let duration { config.duration = duration }
        if let thinkTime { config.thinkTime = thinkTime }
        if let replyTimeout { config.replyTimeout = replyTimeout }
        if let ackTimeout { config.ackTimeout = ackTimeout }
        config.replies = replies
        if let graphListen { config.graphListen = graphListen }
        config.graphProxy = graphProxy.spec
        config.business = business.identity
        config.chaos = chaos
        config.overrideProdCaps = overrideProdCaps
        config.report = ReportPlan(directory: reportDir, quiet: quiet)
        config.seed = seed
        config.botVerifiesSignatures = !botSkipsSignatureCheck
        config.wamidSalt = Workload.randomWamidSalt()  // fresh message ids every run; also the run id
        return config
    }

    /// The plan and secrets, from the flags, the test-numbers file and the environment.
    func plan(environment: [String: String]) throws(LoadgenFailure) -> (SmokePlan, RunSecrets) {
        let source = try scenarioFile.source(named: scenario)  // a file's own exit codes: 66 missing, 65 mistakes
        var config: SmokeConfig
        do { config = try self.config(with: source.scenario) } catch { throw LoadgenFailure(error) }
        config.testNumbers = try testNumbers.map { path throws(LoadgenFailure) in try Self.readTestNumbers(path) }
        config.graphProxy = try graphProxy.resolved(environment: environment)
        let plan: SmokePlan
        do { plan = try config.validated() } catch { throw LoadgenFailure(error) }
        return (plan, try SecretSources(environment: environment).secrets(appSecretFile: appSecretFile))
    }

    /// Reads and checks the test-numbers file: missing → 66, bad contents → 65.
    static func readTestNumbers(_ path: String) throws(LoadgenFailure) -> TestNumbers {
        guard FileManager.default.fileExists(atPath: path) else { throw LoadgenFailure(.noInput, "--test-numbers: no such file: \(path)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadgenFailure(.noInput, "--test-numbers: cannot read \(path)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadgenFailure(.dataError, "--test-numbers: \(path) is not UTF-8 text")
        }
        do { return try TestNumbers.parse(text, source: path) } catch { throw LoadgenFailure(.dataError, "--test-numbers: \(error.description)") }
    }
}
