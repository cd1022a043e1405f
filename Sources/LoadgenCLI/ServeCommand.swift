import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenRuntime

extension Loadgen {
    /// `loadgen serve`: the reference bot and the stand-in Graph API on their own, until Ctrl-C.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the reference bot and the stand-in Graph API until Ctrl-C.",
            discussion: """
            Secrets come from WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN and WHATSAPP_ACCESS_TOKEN; any that is unset is generated and all three are written to --secrets-file (mode 600), never printed.

            To load-test the served bot from another loadgen, send the bot's replies to that run's stand-in Graph API:
              loadgen serve --graph-url http://127.0.0.1:4100/v20.0
              set -a; . reports/serve-secrets.env; set +a
              loadgen --target http://127.0.0.1:8080/webhook --graph-listen 127.0.0.1:4100
            """)

        @Option(help: ArgumentHelp("Where the reference bot listens (its webhook is /webhook, health /health).", valueName: "host:port"),
                transform: Arguments.hostPort)
        var listen = HostPort(host: "127.0.0.1", port: 8080)

        @Option(name: .customLong("graph-listen"), help: ArgumentHelp("Where the stand-in Graph API listens. Default: 127.0.0.1:0.",
                                                                     valueName: "host:port"), transform: Arguments.hostPort)
        var graphListen: HostPort?

        @Option(name: .customLong("graph-url"),
                help: ArgumentHelp("Send the bot's replies to this Graph API base instead (e.g. a loadgen run's --graph-listen).",
                                   valueName: "url"), transform: Arguments.url)
        var graphURL: TargetURL?

        @Option(name: .customLong("phone-number-id"), help: "The business phone number id the bot answers for.")
        var phoneNumberID: String = BusinessIdentity.default.phoneNumberID

        @Option(name: .customLong("rate-limit"), parsing: .unconditional, help: "Messages per user per minute before the bot answers 429.")
        var rateLimit: Int = 30

        @Option(name: .customLong("secrets-file"), help: ArgumentHelp("Where generated secrets are written.", valueName: "path"),
                transform: Arguments.path)
        var secretsFile: String = "reports/serve-secrets.env"

        @Flag(name: .customLong("no-signature-check"), help: .hidden)
        var noSignatureCheck = false

        @Option(help: ArgumentHelp("Test switch: break one fallback of the bot (a pattern name; see 'loadgen list patterns').",
                                   valueName: "pattern"), transform: Arguments.pattern)
        var defect: FailurePattern?

        @Option(name: .customLong("llm-url"), help: ArgumentHelp(
            "The bot's LLM base URL (EasyMO's OPENAI_BASE_URL), e.g. a fault proxy in front of the stand-in LLM; default: the stand-in upstreams.",
            valueName: "url"), transform: Arguments.url)
        var llmURL: TargetURL?

        func validate() throws {
            for (flag, url) in [("--graph-url", graphURL), ("--llm-url", llmURL)] {
                if let refusal = url?.credentialsRefusal(flag) { throw ValidationError(refusal) }
            }
            guard rateLimit >= 1 else { throw ValidationError("--rate-limit must be at least 1 (got \(rateLimit))") }
        }

        func run() async throws {
            try await runCommand { () throws(LoadgenFailure) in
                let options = ServeDriver.Options(
                    listen: listen, graphListen: graphListen ?? HostPort(host: "127.0.0.1", port: 0), graphURL: graphURL,
                    phoneNumberID: phoneNumberID, rateLimit: rateLimit, secretsFile: secretsFile, verifySignatures: !noSignatureCheck,
                    defect: defect, llmURL: llmURL)
                let stop = StopSignal()
                let signals = SignalHandler.install(stop: stop) {}
                defer { signals.cancel() }
                try await ServeDriver.run(options, environment: SecretSources(environment: ProcessInfo.processInfo.environment), stop: stop,
                                          log: Loadgen.log)
                return .pass
            }
        }
    }
}
