import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenScenarios

extension Loadgen {
    /// `loadgen smoke`: the production smoke test run after a deploy and before a rollout flag is raised.
    struct Smoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The smoke test before a flag flip: health, handshake, signatures, statuses, routing, MENU, fallbacks, a short measured load.",
            discussion: """
            Prints one line per check (✅ <check>: PASS / ❌ <check>: FAIL — why), the prod criteria and the verdict; the exit code gates the flag flip. Without --target it tests the embedded reference bot.

            --env prod: --test-numbers is required (only those numbers write to the bot), at most 5 users, 120 s, 3 s between one number's messages, no chaos, no bursts; exceeding a cap needs --override-prod-caps, which is logged and recorded in the report. Every delivery carries the header X-Loadgen-Smoke: <run id> and the profile name "loadgen-smoke".

            Secrets: WHATSAPP_APP_SECRET (or --app-secret-file) and WHATSAPP_VERIFY_TOKEN, never on the command line.

            Exit codes: 0 pass, 1 a check or criterion failed, 64 usage or caps exceeded, 65 bad test-numbers file, 66 missing file, 69 target unreachable, 71 cannot listen, 73 cannot write report, 78 missing secret.
            """)

        @Option(help: ArgumentHelp("staging or prod (prod enforces the caps and the allow-list).", valueName: "env"))
        var env: String = "staging"

        @Option(help: ArgumentHelp("The bot's webhook URL. Default: the embedded reference bot.", valueName: "url"))
        var target: String?

        @Option(help: ArgumentHelp("A health endpoint to check (EasyMO worker or core JSON); repeat for several.", valueName: "url"))
        var health: [String] = []

        @Option(name: .customLong("test-numbers"),
                help: ArgumentHelp("The allow-listed test numbers: one E.164 number per line, # comments. Required with --env prod.",
                                   valueName: "file"))
        var testNumbers: String?

        @Option(name: .customLong("rollout-percent"), parsing: .unconditional,
                help: ArgumentHelp("The rollout flag's percentage: report each test number's bucket and use those inside it.",
                                   valueName: "percent"))
        var rolloutPercent: Int?

        @Option(parsing: .unconditional, help: "Concurrent test users in the measured load. Default: the test numbers, at most 5.")
        var users: Int?

        @Option(help: ArgumentHelp("How long the measured load lasts.", valueName: "time"))
        var duration: String = "20s"

        @Option(name: .customLong("think-time"), help: ArgumentHelp("Pause between one number's messages (MIN-MAX or a time).", valueName: "range"))
        var thinkTime: String = "3s-5s"

        @Option(name: .customLong("reply-timeout"), help: ArgumentHelp("How long a reply may take.", valueName: "time"))
        var replyTimeout: String = "10s"

        @Option(name: .customLong("ack-timeout"), help: ArgumentHelp("How long the webhook POST may take to be answered.", valueName: "time"))
        var ackTimeout: String = "5s"

        @Option(help: ArgumentHelp("The scenario of the measured load (see 'loadgen list').", valueName: "name"))
        var scenario: String = "easymo-smoke"

        @Option(help: ArgumentHelp("Criteria for the measured load; failed checks always fail the smoke test.", valueName: "list"))
        var criteria: String = "prod"

        @Option(help: ArgumentHelp("any: judge replies at the stand-in Graph API; none: acks, status codes and health only.",
                                   valueName: "any|none"))
        var replies: String = "any"

        @Option(name: .customLong("graph-listen"),
                help: ArgumentHelp("Where the stand-in Graph API listens; the bot's replies must reach it to be judged.", valueName: "host:port"))
        var graphListen: String = "127.0.0.1:0"

        @OptionGroup var business: BusinessOptions

        @Option(name: .customLong("app-secret-file"), help: ArgumentHelp("Read the app secret from this file instead of WHATSAPP_APP_SECRET.",
                                                                        valueName: "path"))
        var appSecretFile: String?

        @Option(help: ArgumentHelp("Staging only (a cap in prod): inject failure patterns, PATTERN=RATE[@START-END],…", valueName: "spec"))
        var chaos: String?

        @Flag(name: .customLong("override-prod-caps"), help: "Exceed the production caps anyway (logged loudly, recorded in the report).")
        var overrideProdCaps = false

        @Option(name: .customLong("report-dir"), help: ArgumentHelp("Where report.json goes. Default: reports/<timestamp>-smoke.", valueName: "dir"))
        var reportDir: String?

        @Option(parsing: .unconditional, help: "Seeds pauses and (without --test-numbers, staging only) generated numbers.")
        var seed: UInt64 = 1

        @Flag(help: "No progress lines during the load.")
        var quiet = false

        /// Test switch: the embedded bot stops checking signatures, so a test can see this check fail.
        @Flag(name: .customLong("insecure-bot-skips-signature-check"), help: .hidden)
        var botSkipsSignatureCheck = false

        var environment: SmokeEnvironment { SmokeEnvironment(rawValue: env) ?? .staging }

        func validate() throws {
            guard SmokeEnvironment(rawValue: env) != nil else { throw ValidationError("--env must be staging or prod (got '\(env)')") }
            if let users, users < 1 { throw ValidationError("--users must be at least 1 (got \(users))") }
            guard let d = DurationText.parse(duration), d > .zero else {
                throw ValidationError("--duration must be a positive time such as 20s or 2m (got '\(duration)')")
            }
            guard DurationText.parseRange(thinkTime) != nil else {
                throw ValidationError("--think-time must be a time or a range MIN-MAX such as 3s-5s (got '\(thinkTime)')")
            }
            for (flag, value) in [("--reply-timeout", replyTimeout), ("--ack-timeout", ackTimeout)] {
                guard let t = DurationText.parse(value), t > .zero, t <= .seconds(120) else {
                    throw ValidationError("\(flag) must be a positive time up to 120s (got '\(value)')")
                }
            }
            guard replies == "any" || replies == "none" else { throw ValidationError("--replies must be any or none (got '\(replies)')") }
            guard HostPort.parse(graphListen) != nil else {
                throw ValidationError("--graph-listen must be HOST:PORT such as 0.0.0.0:4100 (got '\(graphListen)')")
            }
            if let rolloutPercent, !(0...100).contains(rolloutPercent) {
                throw ValidationError("--rollout-percent must be between 0 and 100 (got \(rolloutPercent))")
            }
            if let target {
                do { _ = try TargetURL(target) } catch { throw ValidationError("--target: \(error)") }
            }
            for url in health {
                do { _ = try TargetURL(url) } catch { throw ValidationError("--health: \(error)") }
            }
            let scenarioValue: Scenario
            do { scenarioValue = try BuiltInScenarios.named(scenario) } catch { throw ValidationError(error.description) }
            do { _ = try CriteriaSet.parse(criteria) } catch { throw ValidationError(error.description) }
            if let chaos {
                do { _ = try ChaosPlan.parse(chaos) } catch { throw ValidationError(error.description) }
                guard target == nil else { throw ValidationError("--chaos in a smoke test needs the embedded bot (its stand-in upstreams)") }
            }
            if botSkipsSignatureCheck, target != nil {
                throw ValidationError("--insecure-bot-skips-signature-check switches off the embedded bot's check; it cannot be used with --target")
            }
            if environment == .prod {
                guard testNumbers != nil else {
                    throw ValidationError("--env prod needs --test-numbers FILE: only allow-listed test numbers may write to a production bot")
                }
                if target != nil, health.isEmpty {
                    throw ValidationError("--env prod needs at least one --health URL (the runbook's gate: the worker reports status ok)")
                }
            }
            do { _ = try SmokeCaps.of(environment).check(request(scenario: scenarioValue), env: environment, override: overrideProdCaps) } catch {
                throw ValidationError(error.description)
            }
        }

        /// What the caps judge: the load as asked (users default to the caps' maximum until the file is read).
        func request(scenario: Scenario) -> SmokeRequest {
            let think = DurationText.parseRange(thinkTime) ?? .zero ... .zero
            return SmokeRequest(users: users ?? min(5, SmokeCaps.of(environment).maxUsers), duration: DurationText.parse(duration) ?? .zero,
                                minThinkTime: think.lowerBound, chaos: chaos != nil, bursts: scenario.sendsBursts)
        }

        func run() async throws {
            let status: ExitStatus
            do throws(LoadgenFailure) {
                let options = try makeOptions(environment: ProcessInfo.processInfo.environment, log: Run.log)
                let stop = StopSignal()
                let signals = SignalHandler.install(stop: stop) { Run.log("stopping: no new turns; waiting for in-flight replies") }
                defer { signals.cancel() }
                let outcome = try await Harness.run(options, stop: stop, log: Run.log)
                print(ConsoleSummary.render(outcome.report, reportPaths: outcome.reportPaths))
                status = outcome.status
            } catch {
                Run.log("error: \(error.message)")
                status = error.status
            }
            if status != .pass { throw status.exitCode }
        }
    }
}

extension Scenario {
    /// Whether any persona sends a burst (several messages back to back): not allowed in production.
    var sendsBursts: Bool {
        func walk(_ steps: [Step]) -> Bool {
            steps.contains { step in
                switch step {
                case .send(.burst): true
                case .branch(_, let a, let b): walk(a) || walk(b)
                default: false
                }
            }
        }
        return personas.contains { walk($0.journey) }
    }
}
