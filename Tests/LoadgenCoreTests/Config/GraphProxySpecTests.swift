import LoadgenCore
import LoadgenScenarios
import Testing

/// `--graph-proxy`'s values: which hosts are intercepted, which tunnelled, and what a plan carries.
@Suite struct GraphProxySpecTests {
    static let listen = HostPort(host: "127.0.0.1", port: 0)

    @Test(arguments: [
        ("api.openai.com", GraphProxySpec.Tunnel(host: "api.openai.com")),
        ("API.OpenAI.com:443", GraphProxySpec.Tunnel(host: "api.openai.com", port: 443)),
        ("127.0.0.1:9000", GraphProxySpec.Tunnel(host: "127.0.0.1", port: 9000)),
    ])
    func tunnelsParse(text: String, tunnel: GraphProxySpec.Tunnel) {
        #expect(GraphProxySpec.Tunnel.parse(text) == tunnel)
    }

    @Test(arguments: ["", "a:b:c", "https://api.openai.com", "api.openai.com:0", "api.openai.com:99999", "-bad.example", "under_score.example"])
    func notATunnel(text: String) {
        #expect(GraphProxySpec.Tunnel.parse(text) == nil)
    }

    @Test func graphFacebookComIsAlwaysInterceptedAndNamedHostsAreAddedOnceLowercased() throws {
        var spec = GraphProxySpec(listen: Self.listen, caDirectory: "/ca")
        spec.hosts += ["Graph.Example.com", "graph.example.com", "GRAPH.FACEBOOK.COM"]
        #expect(try spec.validated().hosts == ["graph.facebook.com", "graph.example.com"])
    }

    @Test func aHostIsEitherInterceptedOrTunnelled() {
        var spec = GraphProxySpec(listen: Self.listen, caDirectory: "/ca")
        spec.hosts.append("graph.example.com")
        spec.tunnels = [.init(host: "graph.example.com", port: 443)]
        #expect(throws: ConfigError("--graph-proxy-tunnel graph.example.com:443 names a host the proxy intercepts; a host is either intercepted or tunnelled")) {
            try spec.validated()
        }
        spec.tunnels = []
        spec.hosts.append("http://graph.example.com")
        #expect(throws: ConfigError("--graph-proxy-host 'http://graph.example.com' is not a host name (write e.g. graph.facebook.com, without scheme or port)")) {
            try spec.validated()
        }
    }

    @Test func aRunPlanAndASmokePlanCarryTheProxy() throws {
        let generic = try #require(BuiltInScenarios.all.first { $0.name == "generic" })
        var run = RunConfig(scenario: generic)
        #expect(try run.validated().graphProxy == nil)
        run.graphProxy = GraphProxySpec(listen: HostPort(host: "127.0.0.1", port: 4200), caDirectory: "/ca")
        #expect(try run.validated().graphProxy?.listen.port == 4200)
        var smoke = SmokeConfig(scenario: generic, criteria: try CriteriaSpec("prod"))
        smoke.graphProxy = run.graphProxy
        #expect(try smoke.validated().run.graphProxy?.caDirectory == "/ca")
    }
}
