import LoadgenCore
import LoadgenHTTP

/// What the graph proxy did in a run: counted for the report, and said on stderr the first time each
/// kind of trouble happens for a host (a refused host, a tunnel that cannot connect, a bot that does not
/// trust the CA), so that a bot whose replies never arrive says why.
actor GraphProxyLedger {
    private let address: String
    private let spec: GraphProxySpec
    private let caFile: String
    private let log: Log
    private var counts = Report.RunInfo.GraphProxy(address: "", hosts: [], tunnels: [])
    /// Troubles already said, one line each.
    private var said: Set<String> = []

    init(address: String, spec: GraphProxySpec, caFile: String, log: @escaping Log) {
        self.address = address
        self.spec = spec
        self.caFile = caFile
        self.log = log
    }

    func record(_ event: ProxyEvent) {
        switch event {
        case .intercepted:
            counts.intercepted += 1
        case .tunnelled:
            counts.tunnelled += 1
        case .refused(let host, let port):
            counts.refused += 1
            once("refused \(host)", "graph proxy: refused \(host):\(port) (not intercepted, not tunnelled); if the bot needs it, add --graph-proxy-tunnel \(host)")
        case .tunnelFailed(let host, let port, let reason):
            once("unreachable \(host):\(port)", "graph proxy: cannot reach \(host):\(port) for a tunnel (\(reason)); the bot got 502")
        case .handshakeFailed(let host, _):
            counts.handshakesFailed += 1
            once("tls \(host)", "graph proxy: the bot broke off the TLS handshake for \(host): it does not trust loadgen's CA; give it \(caFile) "
                + "(SSL_CERT_FILE or REQUESTS_CA_BUNDLE for Python, NODE_EXTRA_CA_CERTS for Node, DENO_CERT for Deno)")
        }
    }

    private func once(_ key: String, _ line: String) {
        if said.insert(key).inserted { log(line) }
    }

    /// The report's record of the proxy.
    var info: Report.RunInfo.GraphProxy {
        var info = counts
        info.address = address
        info.hosts = spec.hosts
        info.tunnels = spec.tunnels.map(\.description)
        return info
    }
}
