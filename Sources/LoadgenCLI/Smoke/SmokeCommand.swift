import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenFiles
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

            Exit codes: 0 pass, 1 a check or criterion failed, 64 usage or caps exceeded, 65 bad test-numbers or --target-ca file, 66 missing file, 69 target unreachable or its TLS certificate not trusted, 71 cannot listen, 73 cannot write report, 78 missing secret.
            """)

        @Option(help: ArgumentHelp("staging or prod (prod enforces the caps and the allow-list).", valueName: "env"))
        var env: SmokeEnvironment = .staging

        @Option(help: ArgumentHelp("The bot's webhook URL. Default: the embedded reference bot.", valueName: "url"), transform: Arguments.url)
        var target: TargetURL?

        @Option(help: ArgumentHelp("A health endpoint to check (EasyMO worker or core JSON); repeat for several.", valueName: "url"),
                transform: Arguments.url)
        var health: [TargetURL] = []

        @Option(name: .customLong("target-ca"), help: TargetOptions.targetCAHelp, transform: Arguments.path)
        var targetCA: String?

        @Option(name: .customLong("test-numbers"),
                help: ArgumentHelp("The allow-listed test numbers: one E.164 number per line, # comments. Required with --env prod.",
                                   valueName: "file"), transform: Arguments.path)
        var testNumbers: String?

        @Option(name: .customLong("rollout-percent"), parsing: .unconditional,
                help: ArgumentHelp("The rollout flag's percentage: report each test number's bucket and use those inside it.",
                                   valueName: "percent"))
        var rolloutPercent: Int?

        @Option(parsing: .unconditional, help: "Concurrent test users in the measured load. Default: the test numbers, at most 5.")
        var users: Int?

        @Option(help: ArgumentHelp("How long the measured load lasts. Default: 20s.", valueName: "time"), transform: Arguments.duration)
        var duration: Duration?

        @Option(name: .customLong("think-time"), help: ArgumentHelp("Pause between one number's messages (MIN-MAX or a time). Default: 3s-5s.",
                                                                   valueName: "range"), transform: Arguments.durationRange)
        var thinkTime: ClosedRange<Duration>?

        @Option(name: .customLong("reply-timeout"), help: ArgumentHelp("How long a reply may take. Default: 10s.", valueName: "time"),
                transform: Arguments.duration)
        var replyTimeout: Duration?

        @Option(name: .customLong("ack-timeout"), help: ArgumentHelp("How long the webhook POST may take to be answered. Default: 5s.",
                                                                     valueName: "time"), transform: Arguments.duration)
        var ackTimeout: Duration?

        @Option(help: ArgumentHelp("The scenario of the measured load (see 'loadgen list').", valueName: "name"))
        var scenario: String = "easymo-smoke"

        @OptionGroup var scenarioFile: ScenarioFileOption

        @Option(help: ArgumentHelp("Criteria for the measured load; failed checks always fail the smoke test. Default: prod.", valueName: "list"),
                transform: Arguments.criteria)
        var criteria: CriteriaSpec?

        @Option(help: ArgumentHelp("any: judge replies at the stand-in Graph API; none: acks, status codes and health only.",
                                   valueName: "any|none"))
        var replies: ReplyMode = .any

        @Option(name: .customLong("graph-listen"), help: ArgumentHelp(
            "Where the stand-in Graph API listens; the bot's replies must reach it to be judged. Default: 127.0.0.1:0.", valueName: "host:port"),
            transform: Arguments.hostPort)
        var graphListen: HostPort?

        @OptionGroup var business: BusinessOptions
        @OptionGroup var graphProxy: GraphProxyOptions

        @Option(name: .customLong("app-secret-file"), help: ArgumentHelp("Read the app secret from this file instead of WHATSAPP_APP_SECRET.",
                                                                        valueName: "path"), transform: Arguments.path)
        var appSecretFile: String?

        @Option(help: ArgumentHelp("Staging only (a cap in prod): inject failure patterns, PATTERN=RATE[@START-END],…", valueName: "spec"),
                transform: Arguments.chaos)
        var chaos: ChaosPlan?

        @Flag(name: .customLong("override-prod-caps"), help: "Exceed the production caps anyway (logged loudly, recorded in the report).")
        var overrideProdCaps = false

        @Option(name: .customLong("report-dir"), help: ArgumentHelp("Where report.json goes. Default: reports/<timestamp>-smoke.", valueName: "dir"),
                transform: Arguments.path)
        var reportDir: String?

        @Option(parsing: .unconditional, help: "Seeds pauses and (without --test-numbers, staging only) generated numbers.")
        var seed: UInt64 = 1

        @Flag(help: "No progress lines during the load.")
        var quiet = false

        /// Test switch: the embedded bot stops checking signatures, so a test can see this check fail.
        @Flag(name: .customLong("insecure-bot-skips-signature-check"), help: .hidden)
        var botSkipsSignatureCheck = false

        func validate() throws {
            guard let source = try scenarioFile.sourceForValidation(named: scenario) else { return }
            do { try config(with: source.scenario).checkFlags() } catch { throw ValidationError(error.message) }
        }

        func run() async throws {
            try await runCommand { () throws(LoadgenFailure) in
                let (plan, secrets) = try self.plan(environment: ProcessInfo.processInfo.environment)
                let stop = StopSignal()
                let signals = SignalHandler.install(stop: stop) { Loadgen.log("stopping: no new turns; waiting for in-flight replies") }
                defer { signals.cancel() }
                let outcome = try await SmokeDriver.run(plan, secrets: secrets, stop: stop, log: Loadgen.log)
                return outcome.printed()
            }
        }
    }
}
