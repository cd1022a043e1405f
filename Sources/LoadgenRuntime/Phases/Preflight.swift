import Foundation
import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// Checks run once before the load: is the target there, does it do Meta's handshake, is it healthy.
enum Preflight {
    /// The handshake, then the health probe when there is one to probe.
    static func run(_ rig: Rig) async throws(LoadgenFailure) -> (checks: [Report.ScriptedCheck], healthOK: Bool?) {
        var checks = [try await handshake(client: rig.client, target: rig.target, verifyToken: rig.verifyToken)]
        guard let url = rig.healthURL else { return (checks, nil) }
        let (check, ok) = await health(url: url, trust: rig.trust)
        checks.append(check)
        return (checks, ok)
    }

    /// The verification handshake: the right token must echo the challenge. Also the reachability
    /// check: if the target cannot be reached at all, the run cannot be carried out (exit 69).
    static func handshake(client: HTTPClient, target: TargetURL, verifyToken: Secret?) async throws(LoadgenFailure)
        -> Report.ScriptedCheck
    {
        let challenge = String(UInt32.random(in: 100_000_000...UInt32.max))
        let response = try await verification(client: client, target: target, token: verifyToken?.value, challenge: challenge)
        guard verifyToken != nil else {
            return .init(name: "handshake", status: .skipped,
                         detail: "target reachable (HTTP \(response.status)); set WHATSAPP_VERIFY_TOKEN to check the verification handshake")
        }
        let body = String(decoding: response.body, as: UTF8.self)
        if response.status == 200, body == challenge {
            return .init(name: "handshake", status: .pass, detail: "verify token accepted, challenge echoed")
        }
        return .init(name: "handshake", status: .fail,
                     detail: "expected 200 with the challenge, got HTTP \(response.status)\(response.status == 200 ? " with another body" : "")")
    }

    /// The target's health: HTTP 200 and, in the JSON, `status` ok/healthy and every `checks.*.status` ok.
    static func health(url: TargetURL, headers: [String: String] = [:], trust: TrustedCertificates = .system) async -> (Report.ScriptedCheck, Bool) {
        guard let client = try? HTTPClient(origin: url.origin, maxConnections: 1, trust: trust) else {
            return (.init(name: "health", status: .fail, detail: "cannot create a client for \(url)"), false)
        }
        defer { client.shutdown() }
        let result = await client.execute(method: .GET, path: url.pathAndQuery, headers: HTTPHeaders(headers.map { ($0.key, $0.value) }),
                                          timeout: .seconds(5))
        let r: ClientResponse
        switch result {
        case .success(let response): r = response
        case .failure(.io(let why)) where isTLS(why):
            return (.init(name: "health", status: .fail, detail: "TLS handshake with \(url) failed: \(tlsReason(why))"), false)
        case .failure:
            return (.init(name: "health", status: .fail, detail: "\(url) did not answer"), false)
        }
        let verdict = HealthVerdict.judge(status: r.status, body: r.body)
        return (.init(name: "health", status: verdict.ok ? .pass : .fail, detail: verdict.detail), verdict.ok)
    }

    /// Meta's verification GET (`hub.mode=subscribe`, the challenge, the token; without a token, a plain
    /// GET of the webhook). Throws when the target cannot be reached at all: the run cannot be carried out.
    static func verification(client: HTTPClient, target: TargetURL, token: String?, challenge: String,
                             headers: [String: String] = [:]) async throws(LoadgenFailure) -> ClientResponse {
        let separator = target.pathAndQuery.contains("?") ? "&" : "?"
        let path = token.map { token in
            target.pathAndQuery + separator + "hub.mode=subscribe&hub.challenge=\(challenge)&hub.verify_token="
                + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        } ?? target.pathAndQuery
        var all = HTTPHeaders([("User-Agent", "facebookexternalua")])
        all.add(contentsOf: headers.map { ($0.key, $0.value) })
        switch await client.execute(method: .GET, path: path, headers: all, timeout: .seconds(10)) {
        case .success(let r): return r
        case .failure(.connect(let why)):
            throw LoadgenFailure(.unavailable, "cannot reach target \(target): \(shortReason(why))")
        case .failure(.timeout):
            throw LoadgenFailure(.unavailable, "target \(target) did not answer within 10 s")
        case .failure(.io(let why)) where isTLS(why):
            throw LoadgenFailure(.unavailable, "TLS handshake with \(target) failed: \(tlsReason(why))")
        case .failure(.io(let why)):
            throw LoadgenFailure(.unavailable, "target \(target) broke the connection: \(shortReason(why))")
        }
    }

    /// Whether a broken exchange broke in its TLS handshake.
    static func isTLS(_ why: String) -> Bool { why.contains("handshakeFailed") || why.contains("SSL") }

    /// What went wrong in a TLS handshake, in words (not BoringSSL's error stack).
    static func tlsReason(_ why: String) -> String {
        if why.contains("WRONG_VERSION_NUMBER") { return "the target does not speak TLS (is it http://, not https://?)" }
        if why.contains("CERTIFICATE") || why.contains("certificate") {
            return "its certificate is not trusted or does not match the host"
                + " (signed by a private CA, or self-signed? trust it with --target-ca FILE)"
        }
        return "the target closed the connection during the handshake"
    }

    static func shortReason(_ why: String) -> String {
        if why.lowercased().contains("too many open files") || why.contains("EMFILE") {
            return "too many open files (raise the limit with ulimit -n, or lower --connections)"
        }
        if why.contains("refused") { return "connection refused" }
        if why.contains("timed out") || why.contains("Timeout") { return "connect timed out" }
        if why.lowercased().contains("resolve") || why.contains("NXDOMAIN") { return "host name not found" }
        return why
    }
}

/// Judges a health endpoint's answer in EasyMO's shapes (worker: `status` ok + `checks.*.status` ok;
/// core: `status` healthy).
enum HealthVerdict {
    static func judge(status: Int, body: [UInt8]) -> (ok: Bool, detail: String) {
        guard status == 200 else { return (false, "HTTP \(status)") }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return (true, "HTTP 200 (not JSON)")
        }
        let overall = json["status"] as? String
        if let overall, overall != "ok", overall != "healthy" { return (false, "status \(overall)") }
        if let checks = json["checks"] as? [String: Any] {
            let failing = checks.compactMap { name, value -> String? in
                guard let s = (value as? [String: Any])?["status"] as? String else { return nil }
                return s == "ok" ? nil : "\(name) \(s)"
            }.sorted()
            if !failing.isEmpty { return (false, "failing: " + failing.joined(separator: ", ")) }
        }
        return (true, "HTTP 200, status \(overall ?? "ok")")
    }
}
