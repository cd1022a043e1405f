import ArgumentParser
import LoadgenCore
import LoadgenRuntime

/// Reply capture by HTTPS interception, for a bot whose Graph host is hard-coded (`loadgen run`, `smoke`).
struct GraphProxyOptions: ParsableArguments {
    @Option(name: .customLong("graph-proxy"), help: ArgumentHelp(
        "Run a forward proxy at HOST:PORT (a port alone: 127.0.0.1; 0 = a free port) that intercepts the bot's HTTPS to graph.facebook.com with loadgen's CA and hands it to the stand-in Graph API; start the bot with HTTPS_PROXY=http://HOST:PORT and trust the CA (see 'loadgen ca').",
        valueName: "host:port"), transform: Arguments.loopbackOrHostPort)
    var graphProxy: HostPort?

    @Option(name: .customLong("graph-proxy-host"), help: ArgumentHelp(
        "Intercept this host too (repeatable, or a comma list), e.g. a Graph host of your own.", valueName: "host"), transform: Arguments.list)
    var hosts: [[String]] = []

    @Option(name: .customLong("graph-proxy-tunnel"), help: ArgumentHelp(
        "Let this host through the proxy untouched, HOST or HOST:PORT (repeatable, or a comma list); other hosts are refused with 403.",
        valueName: "host[:port]"), transform: Arguments.tunnels)
    var tunnels: [[GraphProxySpec.Tunnel]] = []

    @OptionGroup var ca: CADirectoryOption

    func validate() throws {
        if graphProxy == nil, !hosts.isEmpty || !tunnels.isEmpty {
            throw ValidationError("--graph-proxy-host and --graph-proxy-tunnel shape the graph proxy: add --graph-proxy HOST:PORT")
        }
    }

    /// The proxy asked for, with its CA directory resolved later by `resolved(environment:)`.
    var spec: GraphProxySpec? {
        guard let graphProxy else { return nil }
        var spec = GraphProxySpec(listen: graphProxy, caDirectory: ca.caDir ?? "")
        spec.hosts += hosts.flatMap(\.self)
        spec.tunnels = tunnels.flatMap(\.self)
        return spec
    }

    /// `spec` with its CA directory: `--ca-dir`, else `$LOADGEN_CA_DIR`, else `~/.loadgen/ca`.
    func resolved(environment: [String: String]) throws(LoadgenFailure) -> GraphProxySpec? {
        guard var spec else { return nil }
        spec.caDirectory = try CAStore.directory(given: ca.caDir, environment: environment)
        return spec
    }
}

/// Where loadgen keeps its CA (`loadgen ca`, and runs with `--graph-proxy`).
struct CADirectoryOption: ParsableArguments {
    @Option(name: .customLong("ca-dir"), help: ArgumentHelp(
        "Where loadgen's CA is kept (ca.pem, ca-key.pem). Default: $LOADGEN_CA_DIR, else ~/.loadgen/ca.", valueName: "dir"),
        transform: Arguments.path)
    var caDir: String?
}
