import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime

extension Loadgen {
    /// `loadgen proxy`: a fault-injecting reverse proxy in front of a real upstream, until Ctrl-C.
    struct Proxy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inject failure patterns in front of a real upstream (a fault-injecting reverse proxy), until Ctrl-C.",
            discussion: """
            Point the bot's base URL for that upstream (e.g. OPENAI_BASE_URL) at --listen. Requests pass through unchanged unless the chaos plan hits them at the upstream's injection site.
              loadgen proxy --upstream llm=http://127.0.0.1:9000 --listen 127.0.0.1:8081 --chaos ai-service-down=0.2,timeout=0.1
            Upstream names: \(FaultProxy.sites.keys.sorted().joined(separator: ", ")).
            """)

        @Option(help: ArgumentHelp("NAME=URL: which upstream this is (its injection site) and where it really is.", valueName: "name=url"))
        var upstream: String

        @Option(help: ArgumentHelp("Where the proxy listens.", valueName: "host:port"))
        var listen: String = "127.0.0.1:8081"

        @Option(help: ArgumentHelp("The patterns to inject: PATTERN=RATE[@START-END],… (windows count from the proxy's start).",
                                   valueName: "spec"))
        var chaos: String

        @Option(parsing: .unconditional, help: "Seeds the fault draws.")
        var seed: UInt64 = 1

        func validate() throws {
            let parts = upstream.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let sites = FaultProxy.sites[parts[0]] else {
                throw ValidationError("--upstream must be NAME=URL with NAME one of \(FaultProxy.sites.keys.sorted().joined(separator: ", ")) (got '\(upstream)')")
            }
            do { _ = try TargetURL(parts[1]) } catch { throw ValidationError("--upstream: \(error)") }
            guard HostPort.parse(listen) != nil else { throw ValidationError("--listen must be HOST:PORT (got '\(listen)')") }
            let plan: ChaosPlan
            do { plan = try ChaosPlan.parse(chaos) } catch { throw ValidationError(error.description) }
            guard plan.faults.contains(where: { sites.contains($0.site) }) else {
                throw ValidationError("no pattern in --chaos is injected at the \(parts[0]) upstream (\(sites.map(\.rawValue).joined(separator: ", "))); see 'loadgen list patterns'")
            }
        }

        func run() async throws {
            let parts = upstream.split(separator: "=", maxSplits: 1).map(String.init)
            let injector = FaultInjector(plan: try! ChaosPlan.parse(chaos), seed: seed)
            let address = HostPort.parse(listen)!
            let proxy: FaultProxy
            let server: HTTPServer
            do {
                proxy = try FaultProxy(upstream: try TargetURL(parts[1]), sites: FaultProxy.sites[parts[0]]!, injector: injector)
                server = try await HTTPServer.bind(host: address.host, port: address.port)
            } catch {
                Run.log("error: --listen: \(error)")
                throw ExitStatus.cannotListen.exitCode
            }
            Run.log("fault proxy for the \(parts[0]) upstream \(parts[1]) listening on \(server.baseURL); press Ctrl-C to stop")
            let stop = StopSignal()
            let signals = SignalHandler.install(stop: stop) {}
            defer { signals.cancel() }
            injector.begin()
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await server.run(proxy) }
                await stop.wait()
                group.cancelAll()
            }
            proxy.shutdown()
            let counts = injector.injected.sorted { $0.key.number < $1.key.number }.map { "\($0.key.rawValue) \($0.value)" }
            Run.log("stopped; faults injected: " + (counts.isEmpty ? "none" : counts.joined(separator: ", ")))
        }
    }
}
