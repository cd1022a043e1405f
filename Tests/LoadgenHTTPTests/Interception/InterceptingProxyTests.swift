import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing

/// The intercepting proxy on loopback, driven by a client that behaves like a bot behind `HTTPS_PROXY`.
@Suite(.timeLimit(.minutes(1)))
struct InterceptingProxyTests {
    static let phoneID = "106540352242922"
    static let send = #"{"messaging_product":"whatsapp","to":"15551234567","type":"text","text":{"body":"hi"}}"#

    /// What a test gets: the proxy, its CA, the stand-in's sends, and the proxy's events in order.
    struct Rig {
        let proxy: InterceptingProxy
        let ca: CertificateAuthority
        let sends: SendLog
        var events: AsyncStream<ProxyEvent>.Iterator

        /// Waits (on the events, never a clock) for the first event that is `expected`; false if the stream ended first.
        mutating func saw(_ expected: ProxyEvent) async -> Bool { await saw { $0 == expected } }

        mutating func saw(where matches: (ProxyEvent) -> Bool) async -> Bool {
            while let event = await events.next(isolation: #isolation) { if matches(event) { return true } }
            return false
        }

        var caCertificate: NIOSSLCertificate {
            get throws { try NIOSSLCertificate(bytes: Array(try ca.certificatePEM.utf8), format: .pem) }
        }
    }

    /// A proxy intercepting graph.facebook.com in front of a real stand-in Graph API, for `body`'s duration.
    func withProxy(tunnels: [ProxyPolicy.Tunnel] = [], _ body: (inout Rig) async throws -> Void) async throws {
        let ca = try CertificateAuthority.generate()
        let policy = ProxyPolicy(intercepted: ["Graph.Facebook.com"], tunnels: tunnels) { host, port in "refused \(host):\(port) in a test" }
        let proxy = try await InterceptingProxy.bind(host: "127.0.0.1", port: 0, policy: policy, authority: ca)
        let sends = SendLog()
        let standIn = GraphAPIStandIn(phoneNumberID: Self.phoneID, accessToken: Secret("EAAtoken")) { send, _ in sends.record(send) }
        let (events, sink) = AsyncStream.makeStream(of: ProxyEvent.self)
        var rig = Rig(proxy: proxy, ca: ca, sends: sends, events: events.makeAsyncIterator())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await proxy.run(standIn) { sink.yield($0) } }
            defer { group.cancelAll() }
            try await body(&rig)
        }
    }

    @Test func aConnectToAnInterceptedHostReachesTheStandInThroughTLSTrustingOnlyTheCA() async throws {
        try await withProxy { rig in
            let (channel, answer) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "graph.facebook.com:443")
            defer { channel.close(promise: nil) }
            #expect(answer == "HTTP/1.1 200 Connection established\r\n\r\n")
            let response = try await ProxyTestClient.request(
                on: channel, trust: [try rig.caCertificate], .POST, "/v17.0/\(Self.phoneID)/messages",
                headers: ["Authorization": "Bearer EAAtoken", "Content-Type": "application/json"], body: Self.send)
            #expect(response.status == 200, "\(response.body)")
            #expect(response.body.contains(#""messages":[{"id":"wamid."#), "\(response.body)")
            #expect(rig.sends.sends.map(\.to) == ["15551234567"])
            #expect(await rig.saw(.intercepted(host: "graph.facebook.com")))
        }
    }

    @Test func aMediaURLGivenThroughTheProxyIsHTTPSOnTheInterceptedHost() async throws {
        let media = InboundMessage.Media.make(seed: 7, mimeType: "image/jpeg")
        try await withProxy { rig in
            let (channel, _) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "graph.facebook.com:443")
            defer { channel.close(promise: nil) }
            let response = try await ProxyTestClient.request(on: channel, trust: [try rig.caCertificate], .GET, "/v17.0/\(media.id)",
                                                             headers: ["Authorization": "Bearer EAAtoken"])
            #expect(response.status == 200)
            #expect(response.body.contains(#""url":"https://graph.facebook.com/whatsapp_business/attachments/?mid=\#(media.id)""#), "\(response.body)")
        }
    }

    @Test func aClientThatTrustsAnotherCAFailsTheHandshakeAndTheProxySaysSo() async throws {
        let stranger = try CertificateAuthority.generate(name: "someone else")
        try await withProxy { rig in
            let (channel, answer) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "graph.facebook.com:443")
            defer { channel.close(promise: nil) }
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            let roots = [try NIOSSLCertificate(bytes: Array(try stranger.certificatePEM.utf8), format: .pem)]
            await #expect(throws: NIOSSLError.self) {
                _ = try await ProxyTestClient.request(on: channel, trust: roots, .GET, "/v17.0/1", headers: ["Authorization": "Bearer EAAtoken"])
            }
            #expect(await rig.saw { if case .handshakeFailed(host: "graph.facebook.com", _) = $0 { true } else { false } })
            #expect(rig.sends.sends.isEmpty)
        }
    }

    @Test func aHostNeitherInterceptedNorTunnelledIsRefusedWith403AndAReason() async throws {
        try await withProxy { rig in
            let (channel, answer) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "api.openai.com:443")
            defer { channel.close(promise: nil) }
            #expect(answer.hasPrefix("HTTP/1.1 403 Forbidden\r\n"), "\(answer)")
            #expect(answer.hasSuffix("\r\n\r\nrefused api.openai.com:443 in a test\n"), "\(answer)")
            #expect(await rig.saw(.refused(host: "api.openai.com", port: 443)))
        }
    }

    @Test func aConnectWithoutAPortIsABadRequest() async throws {
        try await withProxy { rig in
            let (channel, answer) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "graph.facebook.com")
            defer { channel.close(promise: nil) }
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(answer)")
            #expect(answer.hasSuffix("loadgen's graph proxy: CONNECT needs a HOST:PORT target (got 'graph.facebook.com')\n"), "\(answer)")
        }
    }

    @Test func aTunnelledHostGetsItsBytesThroughUntouched() async throws {
        struct Hello: HTTPResponder {
            func respond(to request: ServerRequest) async -> ServerResponse { .text(.ok, "hello from \(request.uri)") }
        }
        let upstream = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        try await withThrowingTaskGroup(of: Void.self) { servers in
            servers.addTask { await upstream.run(Hello()) }
            defer { servers.cancelAll() }
            try await withProxy(tunnels: [.init(host: "127.0.0.1", port: upstream.port)]) { rig in
                let (channel, answer) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "127.0.0.1:\(upstream.port)")
                defer { channel.close(promise: nil) }
                #expect(answer == "HTTP/1.1 200 Connection established\r\n\r\n")
                let response = try await ProxyTestClient.request(on: channel, serverName: "127.0.0.1", .GET, "/through")
                #expect(response.status == 200 && response.body == "hello from /through")
                #expect(await rig.saw(.tunnelled(host: "127.0.0.1", port: upstream.port)))
                #expect(rig.sends.sends.isEmpty)
            }
        }
    }

    @Test func aTunnelToAHostThatDoesNotAnswerIs502() async throws {
        try await withProxy(tunnels: [.init(host: "127.0.0.1", port: 1)]) { rig in
            let (channel, answer) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "127.0.0.1:1")
            defer { channel.close(promise: nil) }
            #expect(answer.hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"), "\(answer)")
            #expect(answer.contains("loadgen's graph proxy cannot reach 127.0.0.1:1: "), "\(answer)")
        }
    }

    /// A client that connects and says nothing does not hold the proxy up when the run ends (the time limit would).
    @Test func theProxyStopsWhileAConnectionSaysNothing() async throws {
        var silent: (any Channel)?
        try await withProxy { rig in
            silent = try await ClientBootstrap(group: ProxyTestClient.group).connect(host: "127.0.0.1", port: rig.proxy.port).get()
            let (channel, answer) = try await ProxyTestClient.connect(proxyPort: rig.proxy.port, to: "example.com:443")  // the proxy is serving
            channel.close(promise: nil)
            #expect(answer.hasPrefix("HTTP/1.1 403"))
        }
        // Closed by the proxy as it stopped. (Should it not be, the suite's time limit cancels this wait and the
        // test fails, rather than the suite hanging on a future that cancellation cannot end.)
        if let silent {
            try await withTaskCancellationHandler { try await silent.closeFuture.get() } onCancel: { silent.close(promise: nil) }
        }
    }

    @Test func plainAbsoluteFormRequestsReachTheStandInForAnInterceptedHostOnly() async throws {
        try await withProxy { rig in
            let sent = try await ProxyTestClient.plain(
                proxyPort: rig.proxy.port, .POST, "http://graph.facebook.com/v17.0/\(Self.phoneID)/messages",
                headers: ["Authorization": "Bearer EAAtoken", "Content-Type": "application/json"], body: Self.send)
            #expect(sent.status == 200, "\(sent.body)")
            #expect(rig.sends.sends.count == 1)
            let refused = try await ProxyTestClient.plain(proxyPort: rig.proxy.port, .GET, "http://example.com/x")
            #expect(refused.status == 403 && refused.body == "refused example.com:80 in a test\n")
            let direct = try await ProxyTestClient.plain(proxyPort: rig.proxy.port, .GET, "/v17.0/1")
            #expect(direct.status == 400)
            #expect(await rig.saw(.refused(host: "example.com", port: 80)))
        }
    }
}
