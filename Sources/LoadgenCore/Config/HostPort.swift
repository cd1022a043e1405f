/// `HOST:PORT`, as `--graph-listen`, `--metrics-listen` and the proxies' addresses take it (IPv6 as
/// `[::1]:PORT`; port 0 picks a free one).
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The address `text` says, or nil.
    public static func parse(_ text: String) -> HostPort? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
        return HostPort(host: String(host), port: port)
    }

    /// `127.0.0.1:4100`, `[::1]:0`.
    public var description: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
}
