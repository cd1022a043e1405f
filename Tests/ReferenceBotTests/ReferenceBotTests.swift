import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import NIOCore
import NIOHTTP1
@testable import ReferenceBot
import Testing

/// The reference bot over real loopback sockets, with a stand-in Graph API recording its replies.
/// Tests never sleep: "no second reply" is proven by a later message from the same user, whose reply
/// can only come after the earlier one (a user's messages are answered in order).
@Suite(.timeLimit(.minutes(1)))
struct ReferenceBotTests {
    static let secret = Secret("app-secret")
    let user = SimulatedUser(index: 0, seed: 5)
    let signer = WebhookSigner(appSecret: ReferenceBotTests.secret)

    private func withBot(
        rateLimit: Int = 30, maxBodyBytes: Int = 262_144, verifySignatures: Bool = true,
        _ body: (HTTPClient, SendLog) async throws -> Void
    ) async throws {
        let log = SendLog()
        let graph = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let standIn = GraphAPIStandIn(phoneNumberID: BusinessIdentity.default.phoneNumberID, accessToken: Secret("tok")) { send, _ in log.record(send) }
        let bot = try ReferenceBot(config: BotConfiguration(
            appSecret: Self.secret, verifyToken: Secret("verify-me"), accessToken: Secret("tok"),
            graphBaseURL: try TargetURL(graph.baseURL + "/v20.0"), rateLimitPerMinute: rateLimit,
            maxBodyBytes: maxBodyBytes, verifySignatures: verifySignatures))
        let server = try await bot.bind()
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: server.port), maxConnections: 4)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await graph.run(standIn) }
            group.addTask { await bot.run(on: server) }
            defer { group.cancelAll() }
            try await body(client, log)
        }
        client.shutdown()
    }

    private func delivery(_ text: String, id: String, from u: SimulatedUser? = nil) -> [UInt8] {
        WebhookEnvelope.render(InboundMessage(id: id, timestamp: 1_750_000_000, content: .text(text)), from: u ?? user,
                               business: .default)
    }

    private func post(_ client: HTTPClient, _ body: [UInt8], signature: String?) async throws -> ClientResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let signature { headers.add(name: "X-Hub-Signature-256", value: signature) }
        return try await client.execute(method: .POST, path: "/webhook", headers: headers, body: body, timeout: .seconds(5)).get()
    }

    private func postSigned(_ client: HTTPClient, _ body: [UInt8]) async throws -> ClientResponse {
        try await post(client, body, signature: signer.signature(for: body))
    }

    @Test func verificationHandshake() async throws {
        try await withBot { client, _ async throws in
            let ok = try await client.execute(method: .GET, path: "/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me",
                                              timeout: .seconds(5)).get()
            #expect(ok.status == 200)
            #expect(String(decoding: ok.body, as: UTF8.self) == "1158201444")
            let wrong = try await client.execute(method: .GET, path: "/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope",
                                                 timeout: .seconds(5)).get()
            #expect(wrong.status == 403)
            let mode = try await client.execute(method: .GET, path: "/webhook?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=verify-me",
                                                timeout: .seconds(5)).get()
            #expect(mode.status == 403)
        }
    }

    @Test func badSignatureIs401AndGetsNoReply() async throws {
        try await withBot { client, log async throws in
            let forged = delivery("I need vegetables", id: "wamid.FORGED")
            #expect(try await post(client, forged, signature: nil).status == 401)
            #expect(try await post(client, forged, signature: "sha256=" + String(repeating: "0", count: 64)).status == 401)
            let other = WebhookSigner(appSecret: Secret("someone-else")).signature(for: forged)
            #expect(try await post(client, forged, signature: other).status == 401)
            #expect(try await postSigned(client, delivery("MENU", id: "wamid.REAL")).status == 200)
            let sends = await log.waitFor(1)
            #expect(sends.count == 1)
            #expect(log.replies.map(\.reply.text).allSatisfy { !$0.contains("vendors") })
        }
    }

    @Test func duplicateMessageIdGetsNoSecondReply() async throws {
        try await withBot { client, log async throws in
            let body = delivery("I need vegetables near me", id: "wamid.DUP")
            #expect(try await postSigned(client, body).status == 200)
            #expect(try await postSigned(client, body).status == 200)  // Meta's redelivery: acked, not processed
            #expect(try await postSigned(client, delivery("MENU", id: "wamid.NEXT")).status == 200)
            let sends = await log.waitFor(2)
            let texts = log.replies.map(\.reply.text)
            #expect(sends.count == 2)
            #expect(texts.first?.contains("vendors") == true)
            #expect(texts.last?.contains("What would you like to do today") == true)
        }
    }

    @Test func routesIntentsToEasyMOsAgents() async throws {
        try await withBot { client, log async throws in
            let cases: [(String, String)] = [
                ("I need vegetables near me", "vendors"), ("I need a job", "jobs"), ("I need to rent an apartment", "places to rent"),
                ("Show me restaurants", "restaurants"), ("I need a taxi to take me to the airport", "pickup location"),
                ("I need car insurance policy", "Motor insurance"), ("I want to buy a laptop", "items for sale"),
                ("help", "EasyMO assistant"), ("MENU", "What would you like to do today"),
            ]
            for (i, (text, _)) in cases.enumerated() {
                let u = SimulatedUser(index: i + 1, seed: 5)
                #expect(try await postSigned(client, delivery(text, id: "wamid.R\(i)", from: u)).status == 200)
            }
            _ = await log.waitFor(cases.count)
            for (i, (text, expected)) in cases.enumerated() {
                let phone = SimulatedUser(index: i + 1, seed: 5).phone
                let reply = log.replies.first { $0.to == phone }?.reply
                #expect(reply?.text.contains(expected) == true, "\(text) → \(reply?.text ?? "nothing")")
            }
            // The menu offers EasyMO's services as a list; the vendor search offers vendors.
            #expect(log.replies.first { $0.reply.text.contains("today") }?.reply.rows.map(\.id).contains("svc_rides") == true)
        }
    }

    @Test func aJourneyFollowsTheBotsOwnMenus() async throws {
        try await withBot { client, log async throws in
            #expect(try await postSigned(client, delivery("I need vegetables", id: "wamid.J1")).status == 200)
            let first = await log.waitFor(1)
            guard case .message(let list) = first[0].kind, let row = list.rows.first else { Issue.record("no list"); return }
            let pick = WebhookEnvelope.render(InboundMessage(id: "wamid.J2", timestamp: 1, content: .listReply(id: row.id, title: row.title, description: nil)),
                                              from: user, business: .default)
            #expect(try await postSigned(client, pick).status == 200)
            let second = await log.waitFor(2)
            guard case .message(let confirm) = second[1].kind else { Issue.record("no confirmation"); return }
            #expect(confirm.buttons.map(\.id) == ["pay_wallet", "pay_momo", "back_home"])
            let pay = WebhookEnvelope.render(InboundMessage(id: "wamid.J3", timestamp: 1, content: .buttonReply(id: "pay_wallet", title: "💳 Wallet")),
                                             from: user, business: .default)
            #expect(try await postSigned(client, pay).status == 200)
            let third = await log.waitFor(3)
            guard case .message(let paid) = third[2].kind else { Issue.record("no payment reply"); return }
            #expect(paid.text.contains("Order #1"))
        }
    }

    /// A deletion gets one short acknowledgement and is not read as text; an edit is answered as its new
    /// words would be (a text's body, a photo's caption). Five messages, five answers, in order: the last,
    /// a plain MENU, proves nothing was answered twice.
    @Test func aDeletionIsAcknowledgedAndAnEditAnsweredAsItsNewText() async throws {
        try await withBot { client, log async throws in
            let media = InboundMessage.Media.make(seed: 1, mimeType: "image/jpeg")
            let changes: [(String, InboundMessage.Content)] = [
                ("wamid.C2", .revoke(originalID: "wamid.C1")),
                ("wamid.C3", .edit(originalID: "wamid.C1", contextID: "M0", message: .text("I need a job"))),
                ("wamid.C4", .edit(originalID: "wamid.C1", contextID: "M0", message: .image(media, caption: "I need car insurance policy"))),
            ]
            #expect(try await postSigned(client, delivery("I need vegetables near me", id: "wamid.C1")).status == 200)
            for (id, content) in changes {
                let body = WebhookEnvelope.render(InboundMessage(id: id, timestamp: 1_750_000_000, content: content), from: user, business: .default)
                #expect(try await postSigned(client, body).status == 200)
            }
            #expect(try await postSigned(client, delivery("MENU", id: "wamid.C5")).status == 200)
            let sends = await log.waitFor(5)
            #expect(sends.count == 5)
            let texts = log.replies.map(\.reply.text)
            #expect(texts.count == 5)
            #expect(texts[0].contains("vendors"))
            #expect(texts[1] == "🗑️ You deleted a message. If you still need something from it, please send it again, or type MENU.")
            #expect(texts[2].contains("jobs"), "\(texts[2])")
            #expect(texts[3].contains("Motor insurance"), "\(texts[3])")
            #expect(texts[4].contains("What would you like to do today"))
        }
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        try await withBot(rateLimit: 3) { client, _ async throws in
            for i in 0..<3 { #expect(try await postSigned(client, delivery("hi", id: "wamid.RL\(i)")).status == 200) }
            let limited = try await postSigned(client, delivery("hi", id: "wamid.RL3"))
            #expect(limited.status == 429)
            let retryAfter = Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0
            #expect((1...60).contains(retryAfter))
            // Another user is not limited.
            #expect(try await postSigned(client, delivery("hi", id: "wamid.OTHER", from: SimulatedUser(index: 9, seed: 5))).status == 200)
        }
    }

    @Test func badBodiesAre400And413() async throws {
        try await withBot(maxBodyBytes: 2048) { client, _ async throws in
            #expect(try await postSigned(client, Array("{not json".utf8)).status == 400)
            let huge = delivery(String(repeating: "a", count: 4096), id: "wamid.BIG")
            #expect(try await postSigned(client, huge).status == 413)
        }
    }

    @Test func statusOnlyDeliveriesAreAcked() async throws {
        try await withBot { client, _ async throws in
            let body = Array(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.X","status":"delivered","timestamp":"1","recipient_id":"250788000001"}]},"field":"messages"}]}]}"#.utf8)
            #expect(try await postSigned(client, body).status == 200)
        }
    }

    @Test func healthInTheWorkersShape() async throws {
        try await withBot { client, _ async throws in
            let r = try await client.execute(method: .GET, path: "/health", timeout: .seconds(5)).get()
            #expect(r.status == 200)
            let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
            #expect(json?["status"] as? String == "ok")
            let checks = json?["checks"] as? [String: [String: Any]]
            #expect(Set(checks?.keys.map { $0 } ?? []) == ["openai", "redis", "supabase"])
            #expect(checks?.values.allSatisfy { $0["status"] as? String == "ok" } == true)
        }
    }

    @Test func signatureSwitchOffAcceptsForgeries() async throws {
        try await withBot(verifySignatures: false) { client, _ async throws in
            #expect(try await post(client, delivery("hi", id: "wamid.UNSIGNED"), signature: nil).status == 200)
        }
    }

    @Test func classifierFollowsEasyMOsRules() {
        let c = IntentClassifier()
        #expect(c.classify("I need vegetables near me").agent == .farmer)
        #expect(c.classify("I need a job").agent == .jobs)
        #expect(c.classify("Need a ride").agent == .rides)
        #expect(c.classify("hello there").agent == .support)
        #expect(c.classify("I need to rent an apartment").agent == .realEstate)
    }
}
