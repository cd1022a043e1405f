/// Reply capture by HTTPS interception (`--graph-proxy`): where the forward proxy listens, which hosts
/// it intercepts (TLS terminated with loadgen's CA, requests handed to the stand-in Graph API), which it
/// tunnels raw, and where loadgen's CA is kept. Every other host is refused.
///
/// ```swift
/// var spec = GraphProxySpec(listen: HostPort(host: "127.0.0.1", port: 0), caDirectory: "/home/me/.loadgen/ca")
/// spec.hosts.append("graph.example.com")
/// spec.tunnels.append(.init(host: "api.openai.com", port: 443))
/// ```
public struct GraphProxySpec: Sendable, Hashable {
    /// A host let through raw (`HOST[:PORT]`; no port: any).
    public struct Tunnel: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int?

        public init(host: String, port: Int? = nil) {
            self.host = host
            self.port = port
        }

        /// `HOST[:PORT]`, or nil.
        public static func parse(_ text: String) -> Tunnel? {
            if let address = HostPort.parse(text), address.port > 0 {
                return GraphProxySpec.isHostName(address.host) ? Tunnel(host: address.host.lowercased(), port: address.port) : nil
            }
            return GraphProxySpec.isHostName(text) ? Tunnel(host: text.lowercased()) : nil
        }

        public var description: String { port.map { "\(host):\($0)" } ?? host }
    }

    /// The host every bot built on Meta's libraries calls.
    public static let graphHost = "graph.facebook.com"

    public var listen: HostPort
    /// Intercepted hosts: `graph.facebook.com` and those named (`--graph-proxy-host`).
    public var hosts: [String] = [GraphProxySpec.graphHost]
    public var tunnels: [Tunnel] = []
    /// Where loadgen's CA is kept (created there when missing).
    public var caDirectory: String

    public init(listen: HostPort, caDirectory: String) {
        self.listen = listen
        self.caDirectory = caDirectory
    }

    /// The spec, if every host is a host name and none is both intercepted and tunnelled.
    public func validated() throws(ConfigError) -> GraphProxySpec {
        var spec = self
        spec.hosts = []
        for host in hosts.map({ $0.lowercased() }) where !spec.hosts.contains(host) {
            guard Self.isHostName(host) else {
                throw ConfigError("--graph-proxy-host '\(host)' is not a host name (write e.g. graph.facebook.com, without scheme or port)")
            }
            spec.hosts.append(host)
        }
        if let both = tunnels.first(where: { spec.hosts.contains($0.host) }) {
            throw ConfigError("--graph-proxy-tunnel \(both) names a host the proxy intercepts; a host is either intercepted or tunnelled")
        }
        return spec
    }

    /// Letters, digits, hyphens and dots, as DNS names are (an IP address is one too).
    static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253 && !text.hasPrefix(".") && !text.hasSuffix(".")
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }
}
