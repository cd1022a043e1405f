import LoadgenCore
import LoadgenHTTP
import ServiceLifecycle

extension Rig {
    /// The intercepting proxy of `--graph-proxy`, in front of the run's own stand-in Graph API (the same
    /// instance the direct sends reach, so intercepted replies are correlated and measured alike), with
    /// loadgen's kept CA, made if missing. Says where it listens and how to point a bot at it.
    static func graphProxy(_ spec: GraphProxySpec, standIn: GraphAPIStandIn, log: @escaping Log) async throws(LoadgenFailure)
        -> (service: any Service, ledger: GraphProxyLedger)
    {
        let ca = try CAStore.loadOrCreate(in: spec.caDirectory)
        if ca.created {
            log("created loadgen's CA in \(spec.caDirectory): \(CAStore.certificateFile) (the certificate bots trust) and \(CAStore.keyFile) (its key, mode 600)")
        }
        let policy = ProxyPolicy(intercepted: spec.hosts, tunnels: spec.tunnels.map { .init(host: $0.host, port: $0.port) }) { host, port in
            "loadgen's graph proxy refuses \(host):\(port): it intercepts only \(spec.hosts.joined(separator: ", ")); "
                + "start loadgen with --graph-proxy-tunnel \(host) to let it through"
        }
        let proxy: InterceptingProxy
        do { proxy = try await InterceptingProxy.bind(host: spec.listen.host, port: spec.listen.port, policy: policy, authority: ca.authority) } catch {
            guard let bind = error as? BindError else { throw LoadgenFailure(.software, "cannot make the graph proxy's certificates: \(error)") }
            let reason = bind.reason.contains("in use") ? "address already in use" : bind.reason
            throw LoadgenFailure(.cannotListen, "--graph-proxy: cannot listen on \(spec.listen): \(reason)")
        }
        let tunnels = spec.tunnels.isEmpty ? "" : "; tunnelling \(spec.tunnels.map(\.description).joined(separator: ", "))"
        log("graph proxy listening on \(proxy.address): intercepting \(spec.hosts.joined(separator: ", ")) with loadgen's CA "
            + "(\(ca.certificatePath))\(tunnels); refusing every other host")
        log("start the bot with HTTPS_PROXY=http://\(proxy.address) NO_PROXY=localhost,127.0.0.1 and let it trust \(ca.certificatePath): "
            + "SSL_CERT_FILE or REQUESTS_CA_BUNDLE (Python), NODE_EXTRA_CA_CERTS with NODE_USE_ENV_PROXY=1 (Node), DENO_CERT (Deno)")
        let ledger = GraphProxyLedger(address: proxy.address, spec: spec, caFile: ca.certificatePath, log: log)
        return (GraphProxyService(proxy: proxy, responder: standIn, ledger: ledger), ledger)
    }
}

/// The intercepting proxy, serving until graceful shutdown.
struct GraphProxyService: Service, CustomStringConvertible {
    let proxy: InterceptingProxy
    let responder: GraphAPIStandIn
    let ledger: GraphProxyLedger
    var description: String { "graph proxy on \(proxy.address)" }

    func run() async throws {
        let ledger = self.ledger
        await cancelWhenGracefulShutdown { await proxy.run(responder) { await ledger.record($0) } }
    }
}
