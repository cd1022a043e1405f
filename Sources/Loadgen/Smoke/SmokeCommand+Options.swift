import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenScenarios

extension Loadgen.Smoke {
    /// The header that tags every smoke delivery with the run id.
    static let tagHeader = "X-Loadgen-Smoke"
    /// The profile name (`contacts[].profile.name`) of every smoke delivery.
    static let profileName = "loadgen-smoke"

    /// Builds the harness options from validated flags, the test-numbers file and the environment.
    func makeOptions(environment variables: [String: String], log: @escaping @Sendable (String) -> Void) throws(LoadgenFailure) -> HarnessOptions {
        let scenarioValue: Scenario
        do { scenarioValue = try BuiltInScenarios.named(scenario) } catch { throw LoadgenFailure(.usage, error.description) }
        var sets: [CriteriaSet]
        do { sets = try CriteriaSet.parse(criteria) } catch { throw LoadgenFailure(.usage, error.description) }
        sets.append(CriteriaSet(name: "smoke", criteria: [Criterion(.checksFailed, .atMost, 0)]))  // every check must pass

        // The numbers: the allow-list, or (staging only) generated ones.
        let listed = try testNumbers.map { path throws(LoadgenFailure) in try Self.readTestNumbers(path) }
        let cap = SmokeCaps.of(environment).maxUsers
        let available = listed?.digits ?? (0..<(users ?? min(5, cap))).map { SimulatedUser(index: $0, seed: seed).phone }
        let count = users ?? min(available.count, 5)
        guard count <= available.count else {
            throw LoadgenFailure(.usage, "--users \(count) needs \(count) test numbers; \(testNumbers ?? "the list") has \(available.count)")
        }
        let selection = rolloutPercent.map { RolloutSelection(numbers: available, percent: $0) }
        if let selection {
            for e in selection.entries {
                log("rollout \(selection.percent) %: +\(e.number) bucket \(e.bucket) — \(e.inside ? "inside" : "outside")")
            }
            if selection.inside.isEmpty { log("WARNING: no test number is inside the \(selection.percent) % rollout; the rollout check will fail") }
        }
        let ordered = selection?.preferredOrder ?? available
        let population = ordered.prefix(count).enumerated().map { i, phone in
            SimulatedUser(index: i, phone: phone, profileName: Self.profileName, bsuid: "RW.\(RolloutBucket.bucket(of: phone))\(i)")
        }

        // Caps, now with the real user count; an override is said loudly and kept in the report.
        let overridden: [String]
        do { overridden = try SmokeCaps.of(environment).check(request(scenario: scenarioValue, users: count), env: environment,
                                                             override: overrideProdCaps) } catch {
            throw LoadgenFailure(.usage, error.description)
        }
        for violation in overridden { log("WARNING: --override-prod-caps: \(violation) — this smoke test exceeds the \(env) caps") }

        let salt = UInt64.random(in: 1...0xFFFF)
        let runID = "smoke-" + String(salt, radix: 16)
        log("smoke run \(runID) (--env \(env)): every delivery carries \(Self.tagHeader): \(runID) and profile name \(Self.profileName)")
        var plan = RunPlan(
            scenario: scenarioValue, users: population.count, duration: DurationText.parse(duration)!,
            thinkTime: DurationText.parseRange(thinkTime)!, replyTimeout: DurationText.parse(replyTimeout)!,
            awaitReplies: replies == "any", seed: seed,
            business: business.identity,
            includeBSUID: false)
        plan.wamidSalt = salt << 48
        if let chaos { plan.chaos = (try? ChaosPlan.parse(chaos)) ?? plan.chaos }

        let secrets = SecretSources(environment: variables)
        let targetURL = try target.map { t throws(LoadgenFailure) in
            do { return try TargetURL(t) } catch { throw LoadgenFailure(.usage, "--target: \(error)") }
        }
        var options = HarnessOptions(
            target: targetURL, plan: plan, criteria: sets, criteriaText: criteria, graphListen: HostPort.parse(graphListen)!,
            appSecret: try secrets.appSecret(file: appSecretFile), verifyToken: secrets.verifyToken, accessToken: secrets.accessToken,
            healthURL: nil, connections: max(2, population.count), ackTimeout: DurationText.parse(ackTimeout)!,
            reportDir: reportDir ?? ReportWriter.defaultDirectory(scenario: "smoke"), quiet: quiet, statusCallbacks: false)
        options.users = population
        options.deliveryHeaders = [Self.tagHeader: runID]
        options.botVerifiesSignatures = !botSkipsSignatureCheck
        let checks = SmokeChecks(healthURLs: health.compactMap { try? TargetURL($0) }, rollout: selection, stopOnFailure: environment == .prod)
        options.checklist = { ctx throws(LoadgenFailure) in try await checks.run(ctx) }
        options.smoke = SmokeReport(
            env: env, runID: runID, tagHeader: Self.tagHeader, profileName: Self.profileName, testNumbers: population.map(\.phone),
            rollout: selection.map { SmokeReport.Rollout(percent: $0.percent, numbers: $0.entries) }, capsOverridden: overridden)
        return options
    }

    func request(scenario: Scenario, users: Int) -> SmokeRequest {
        var r = request(scenario: scenario)
        r.users = users
        return r
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
