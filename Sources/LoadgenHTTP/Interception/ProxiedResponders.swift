import NIOHTTP1

/// Requests decrypted from an intercepted host's TLS: handed on as they came, marked
/// `X-Forwarded-Proto: https` (so a media URL the responder gives back is an `https` one, which the bot
/// fetches through the proxy again), and counted.
struct InterceptedResponder<Inner: HTTPResponder>: HTTPResponder {
    let host: String
    let inner: Inner
    let events: @Sendable (ProxyEvent) async -> Void

    func respond(to request: ServerRequest) async -> ServerResponse {
        var request = request
        request.headers.replaceOrAdd(name: "X-Forwarded-Proto", value: "https")
        await events(.intercepted(host: host))
        return await inner.respond(to: request)
    }
}

/// Plain-HTTP proxy requests, in absolute form (`POST http://graph.facebook.com/v20.0/…/messages`): an
/// intercepted host's go to the responder with the path alone; any other host's are refused with 403
/// (plain HTTP is never forwarded, not even to a tunnelled host: tunnels are for `CONNECT`).
struct PlainProxyResponder<Inner: HTTPResponder>: HTTPResponder {
    let policy: ProxyPolicy
    let inner: Inner
    let events: @Sendable (ProxyEvent) async -> Void

    func respond(to request: ServerRequest) async -> ServerResponse {
        guard let target = Self.absolute(request.uri) else {
            return .text(.badRequest, "loadgen's graph proxy is a forward proxy: send CONNECT HOST:PORT, or a request for an absolute URL (http://HOST/PATH)\n")
        }
        switch policy.route(host: target.host, port: target.port) {
        case .intercept:
            var request = request
            request.uri = target.path
            request.headers.replaceOrAdd(name: "Host", value: target.authority)
            await events(.intercepted(host: target.host))
            return await inner.respond(to: request)
        case .tunnel:
            await events(.refused(host: target.host, port: target.port))
            return .text(.forbidden, "loadgen's graph proxy lets \(target.host) through only as a CONNECT tunnel (https), not as plain http\n")
        case .refuse(let reason):
            await events(.refused(host: target.host, port: target.port))
            return .text(.forbidden, reason + "\n")
        }
    }

    /// The host, port, authority and path of `http://host[:port]/path?query` (nil for any other form).
    static func absolute(_ uri: String) -> (host: String, port: Int, authority: String, path: String)? {
        let lower = uri.lowercased()
        let (scheme, defaultPort) = lower.hasPrefix("http://") ? ("http://", 80) : lower.hasPrefix("https://") ? ("https://", 443) : ("", 0)
        guard !scheme.isEmpty else { return nil }
        let rest = uri.dropFirst(scheme.count)
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = String(rest[..<slash])
        let path = rest[slash...].hasPrefix("/") ? String(rest[slash...]) : "/" + rest[slash...]
        let parsed = ProxyPolicy.authority(authority)
        let host = parsed?.host ?? authority
        guard !host.isEmpty, parsed != nil || !authority.contains(":") else { return nil }
        return (host, parsed?.port ?? defaultPort, authority, path)
    }
}
