import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import ReferenceBot
import Synchronization

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

        @Option(help: ArgumentHelp("Where the reference bot listens (its webhook is /webhook, health /health).", valueName: "host:port"))
        var listen: String = "127.0.0.1:8080"

        @Option(name: .customLong("graph-listen"), help: ArgumentHelp("Where the stand-in Graph API listens.", valueName: "host:port"))
        var graphListen: String = "127.0.0.1:0"

        @Option(name: .customLong("graph-url"),
                help: ArgumentHelp("Send the bot's replies to this Graph API base instead (e.g. a loadgen run's --graph-listen).",
                                   valueName: "url"))
        var graphURL: String?

        @Option(name: .customLong("phone-number-id"), help: "The business phone number id the bot answers for.")
        var phoneNumberID: String = BusinessIdentity.default.phoneNumberID

        @Option(name: .customLong("rate-limit"), parsing: .unconditional, help: "Messages per user per minute before the bot answers 429.")
        var rateLimit: Int = 30

        @Option(name: .customLong("secrets-file"), help: ArgumentHelp("Where generated secrets are written.", valueName: "path"))
        var secretsFile: String = "reports/serve-secrets.env"

        @Flag(name: .customLong("no-signature-check"), help: .hidden)
        var noSignatureCheck = false

        @Option(help: ArgumentHelp("Test switch: break one fallback of the bot (a pattern name; see 'loadgen list patterns').",
                                   valueName: "pattern"))
        var defect: String?

        @Option(name: .customLong("llm-url"), help: ArgumentHelp(
            "The bot's LLM base URL (EasyMO's OPENAI_BASE_URL), e.g. a fault proxy in front of the stand-in LLM; default: the stand-in upstreams.",
            valueName: "url"))
        var llmURL: String?

        func validate() throws {
            if let llmURL {
                do { _ = try TargetURL(llmURL) } catch { throw ValidationError("--llm-url: \(error)") }
            }
            guard HostPort.parse(listen) != nil else { throw ValidationError("--listen must be HOST:PORT (got '\(listen)')") }
            guard HostPort.parse(graphListen) != nil else { throw ValidationError("--graph-listen must be HOST:PORT (got '\(graphListen)')") }
            guard rateLimit >= 1 else { throw ValidationError("--rate-limit must be at least 1 (got \(rateLimit))") }
            if let graphURL {
                do { _ = try TargetURL(graphURL) } catch { throw ValidationError("--graph-url: \(error)") }
            }
            if let defect, FailurePattern(rawValue: defect) == nil {
                throw ValidationError("--defect: unknown failure pattern '\(defect)' (see 'loadgen list patterns')")
            }
        }

        func run() async throws {
            do throws(LoadgenFailure) {
                try await serve(environment: ProcessInfo.processInfo.environment)
            } catch {
                Run.log("error: \(error.message)")
                throw error.status.exitCode
            }
        }

        private func serve(environment: [String: String]) async throws(LoadgenFailure) {
            let env = SecretSources(environment: environment)
            let appSecret = (try? env.appSecret(file: nil)) ?? nil
            let generated = appSecret == nil || env.verifyToken == nil || env.accessToken == nil
            let secrets = (app: appSecret ?? .generate(), verify: env.verifyToken ?? .generate(), access: env.accessToken ?? .generate())
            if generated { try writeSecrets(secrets) }

            let received = Mutex(0)
            var graph: HTTPServer?
            let graphBase: TargetURL
            if let graphURL {
                graphBase = try! TargetURL(graphURL)
            } else {
                let address = HostPort.parse(graphListen)!
                do { graph = try await HTTPServer.bind(host: address.host, port: address.port) } catch {
                    throw LoadgenFailure(.cannotListen, "--graph-listen: \(error)")
                }
                graphBase = try! TargetURL(graph!.baseURL + "/v20.0")
            }
            let upstreams: HTTPServer
            do { upstreams = try await HTTPServer.bind(host: "127.0.0.1", port: 0) } catch {
                throw LoadgenFailure(.cannotListen, "the stand-in upstreams: \(error)")
            }
            var config = BotConfiguration(
                appSecret: secrets.app, verifyToken: secrets.verify, accessToken: secrets.access, graphBaseURL: graphBase,
                phoneNumberID: phoneNumberID, rateLimitPerMinute: rateLimit, verifySignatures: !noSignatureCheck)
            config.upstreams = try! TargetURL(upstreams.baseURL)
            config.llmBaseURL = llmURL.flatMap { try? TargetURL($0) }
            config.defect = defect.flatMap(FailurePattern.init(rawValue:))
            let bot: ReferenceBot
            let server: HTTPServer
            do {
                bot = try ReferenceBot(config: config)
                let address = HostPort.parse(listen)!
                server = try await bot.bind(host: address.host, port: address.port)
            } catch {
                throw LoadgenFailure(.cannotListen, "--listen: \(error)")
            }
            Run.log("reference bot: webhook \(server.baseURL)/webhook, health \(server.baseURL)/health")
            Run.log("bot replies go to \(graphBase)/\(phoneNumberID)/messages")
            if let graph { Run.log("stand-in Graph API listening on \(graph.baseURL)") }
            Run.log("stand-in upstreams (LLM, database, ranking, payments, agents) on \(upstreams.baseURL)"
                + (config.llmBaseURL.map { "; the bot calls its LLM at \($0)" } ?? ""))
            if generated { Run.log("generated secrets written to \(secretsFile)") }
            if noSignatureCheck { Run.log("WARNING: signature check is OFF (--no-signature-check): the bot accepts unsigned deliveries") }
            Run.log("press Ctrl-C to stop")

            let stop = StopSignal()
            let signals = SignalHandler.install(stop: stop) {}
            defer { signals.cancel() }
            let standIn = GraphAPIStandIn(phoneNumberID: phoneNumberID, accessToken: secrets.access) { _, _ in
                received.withLock { $0 += 1 }
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await bot.run(on: server) }
                group.addTask { await upstreams.run(UpstreamStandIns(injector: nil)) }
                if let graph { group.addTask { await graph.run(standIn) } }
                await stop.wait()
                group.cancelAll()
            }
            Run.log("stopped; the stand-in Graph API received \(received.withLock { $0 }) sends")
        }

        private func writeSecrets(_ s: (app: Secret, verify: Secret, access: Secret)) throws(LoadgenFailure) {
            let text = "WHATSAPP_APP_SECRET=\(s.app.value)\nWHATSAPP_VERIFY_TOKEN=\(s.verify.value)\nWHATSAPP_ACCESS_TOKEN=\(s.access.value)\n"
            let url = URL(fileURLWithPath: secretsFile)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
                try Data(text.utf8).write(to: url)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            } catch {
                throw LoadgenFailure(.cannotWriteReport, "cannot write \(secretsFile): \(error.localizedDescription)")
            }
        }
    }
}
