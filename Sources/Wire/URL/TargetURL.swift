import Foundation

/// A validated `--target` (or other) URL: http or https, a host, a port, a path.
public struct TargetURL: Sendable, Hashable, CustomStringConvertible {
    public var origin: Origin
    /// Path and query, at least `/`.
    public var pathAndQuery: String
    /// Whether the text had `user:password@` in it (dropped from this value).
    public private(set) var carriedCredentials = false

    /// Parses `text`, or says in one sentence what is wrong with it.
    public init(_ text: String) throws(TargetURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw TargetURLError(text: text, reason: "not a URL (expected e.g. http://127.0.0.1:8080/webhook)")
        }
        guard scheme == "http" || scheme == "https" else {
            throw TargetURLError(text: text, reason: "scheme must be http or https, not \(scheme)")
        }
        // Credentials in a URL are never kept (they would land in logs and reports); a caller refuses a URL
        // that carried some, in words that do not repeat them.
        carriedCredentials = components.user != nil || components.password != nil
        guard var host = components.host, !host.isEmpty else {
            throw TargetURLError(text: text, reason: "it has no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw TargetURLError(text: text, reason: "port \(port) is out of range") }
        origin = Origin(tls: scheme == "https", host: host, port: port)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        pathAndQuery = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    public var description: String {
        let host = origin.host.contains(":") ? "[\(origin.host)]" : origin.host
        return "\(origin.tls ? "https" : "http")://\(host):\(origin.port)\(pathAndQuery)"
    }

    /// Whether the host is a loopback address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        let h = origin.host.lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// Why this URL cannot be used, if it carried credentials (said without them); nil otherwise.
    public func credentialsRefusal(_ flag: String) -> String? {
        carriedCredentials
            ? "\(flag) \(description): a URL must not carry user:password@; loadgen takes secrets only from the environment or files" : nil
    }

    /// The same origin with another path, e.g. the verification GET on the webhook path.
    public func with(pathAndQuery: String) -> TargetURL {
        var copy = self
        copy.pathAndQuery = pathAndQuery
        return copy
    }
}

/// A URL that cannot be used.
public struct TargetURLError: Error, Equatable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid URL '\(text)': \(reason)" }
}

/// Scheme, host and port of a target.
public struct Origin: Sendable, Hashable {
    public var tls: Bool
    public var host: String
    public var port: Int

    public init(tls: Bool, host: String, port: Int) {
        self.tls = tls
        self.host = host
        self.port = port
    }

    /// The `Host` header value.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return (tls && port == 443) || (!tls && port == 80) ? h : "\(h):\(port)"
    }
}
