import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenRuntime

extension Loadgen {
    /// `loadgen proxy`: a fault-injecting reverse proxy in front of a real upstream, until Ctrl-C.
    struct Proxy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inject failure patterns in front of a real upstream (a fault-injecting reverse proxy), until Ctrl-C.",
            discussion: """
            Point the bot's base URL for that upstream (e.g. OPENAI_BASE_URL) at --listen. Requests pass through unchanged unless the chaos plan hits them at the upstream's injection site.
              loadgen proxy --upstream llm=http://127.0.0.1:9000 --listen 127.0.0.1:8081 --chaos ai-service-down=0.2,timeout=0.1
            Upstream names: \(UpstreamProxySpec.sites.keys.sorted().joined(separator: ", ")).
            """)

        @Option(help: ArgumentHelp("NAME=URL: which upstream this is (its injection site) and where it really is.", valueName: "name=url"))
        var upstream: String

        @Option(help: ArgumentHelp("Where the proxy listens.", valueName: "host:port"), transform: Arguments.hostPort)
        var listen = HostPort(host: "127.0.0.1", port: 8081)

        @Option(help: ArgumentHelp("The patterns to inject: PATTERN=RATE[@START-END],… (windows count from the proxy's start).",
                                   valueName: "spec"), transform: Arguments.chaos)
        var chaos: ChaosPlan

        @Option(parsing: .unconditional, help: "Seeds the fault draws.")
        var seed: UInt64 = 1

        func validate() throws {
            let spec = try self.spec()
            guard chaos.faults.contains(where: { spec.sites.contains($0.site) }) else {
                throw ValidationError("no pattern in --chaos is injected at the \(spec.name) upstream (\(spec.sites.map(\.rawValue).joined(separator: ", "))); see 'loadgen list patterns'")
            }
        }

        /// `NAME=URL` with the listen address: the same spec `run --upstream` takes.
        func spec() throws -> UpstreamProxySpec {
            let names = UpstreamProxySpec.sites.keys.sorted().joined(separator: ", ")
            let parts = upstream.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, UpstreamProxySpec.sites[parts[0]] != nil else {
                throw ValidationError("--upstream must be NAME=URL with NAME one of \(names) (got '\(upstream)')")
            }
            do { return try UpstreamProxySpec.parse("\(upstream)@\(listen)") } catch { throw ValidationError(error.message) }
        }

        func run() async throws {
            try await runCommand { () throws(LoadgenFailure) in
                let spec: UpstreamProxySpec
                do { spec = try self.spec() } catch { throw LoadgenFailure(.usage, "\(error)") }
                let stop = StopSignal()
                let signals = SignalHandler.install(stop: stop) {}
                defer { signals.cancel() }
                let injected = try await ProxyDriver.run(upstream: spec, chaos: chaos, seed: seed, stop: stop, log: Loadgen.log)
                let counts = injected.sorted { $0.key.number < $1.key.number }.map { "\($0.key.rawValue) \($0.value)" }
                Loadgen.log("stopped; faults injected: " + (counts.isEmpty ? "none" : counts.joined(separator: ", ")))
                return .pass
            }
        }
    }
}
