/// Where the intercepting proxy sends a host: decrypted to the responder (`intercept`), through as raw
/// bytes (`tunnel`), or nowhere (`refuse`, with the one-line reason the client reads in the 403).
public struct ProxyPolicy: Sendable {
    /// What becomes of a request for one host.
    public enum Route: Sendable, Equatable {
        case intercept
        case tunnel
        case refuse(reason: String)
    }

    /// A host let through raw; `port` nil means any port.
    public struct Tunnel: Sendable, Hashable {
        public var host: String
        public var port: Int?

        public init(host: String, port: Int? = nil) {
            self.host = host.lowercased()
            self.port = port
        }
    }

    /// Hosts whose TLS the proxy terminates, lowercased.
    public let intercepted: Set<String>
    public let tunnels: [Tunnel]
    /// The reason given for a refused `host:port`: says how to let it through.
    private let refusal: @Sendable (String, Int) -> String

    public init(intercepted: some Sequence<String>, tunnels: [Tunnel] = [], refusal: @escaping @Sendable (String, Int) -> String) {
        self.intercepted = Set(intercepted.map { $0.lowercased() })
        self.tunnels = tunnels
        self.refusal = refusal
    }

    /// The route for `host:port` (host names compare case-insensitively, as DNS does).
    public func route(host: String, port: Int) -> Route {
        let host = host.lowercased()
        if intercepted.contains(host) { return .intercept }
        if tunnels.contains(where: { $0.host == host && ($0.port == nil || $0.port == port) }) { return .tunnel }
        return .refuse(reason: refusal(host, port))
    }

    /// `host:port` from a CONNECT request's target (`graph.facebook.com:443`, `[::1]:8443`); nil when it is not one.
    static func authority(_ text: String) -> (host: String, port: Int)? {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == "/" || $0 == " " || $0 == "@" }), let number = Int(port), (1...65535).contains(number)
        else { return nil }
        return (String(host), number)
    }
}

/// What the intercepting proxy did, one event per request or connection, for the run to count and say.
public enum ProxyEvent: Sendable, Equatable {
    /// A request to an intercepted host was handed to the responder (over TLS, or plain absolute-form).
    case intercepted(host: String)
    /// A tunnel to an allowed host was opened.
    case tunnelled(host: String, port: Int)
    /// A host neither intercepted nor allowed was refused with 403.
    case refused(host: String, port: Int)
    /// An allowed host could not be reached; the client got 502.
    case tunnelFailed(host: String, port: Int, reason: String)
    /// The client broke off the TLS handshake for an intercepted host: most often, it does not trust the CA.
    case handshakeFailed(host: String, reason: String)
}
