import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct GraphAPIStandInTests {
    /// Runs a stand-in on a free loopback port for the duration of `body`; returns how many sends it refused.
    @discardableResult
    private func withStandIn(token: Secret? = Secret("EAAtoken"), _ body: (HTTPClient, SendLog) async throws -> Void) async throws -> Int {
        let log = SendLog()
        let refused = Atomic<Int>(0)
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let standIn = GraphAPIStandIn(phoneNumberID: "106540352242922", accessToken: token, onRefused: { refused.add(1, ordering: .relaxed) }) { send, _ in
            log.record(send)
        }
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: server.port), maxConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.run(standIn) }
            defer { group.cancelAll() }
            try await body(client, log)
        }
        client.shutdown()
        return refused.load(ordering: .relaxed)
    }

    private func post(_ client: HTTPClient, _ path: String, _ json: String, token: String? = "EAAtoken") async throws -> (Int, [String: Any]) {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await client.execute(method: .POST, path: path, headers: headers, body: Array(json.utf8), timeout: .seconds(5)).get()
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    /// Meta's media flow: `GET /{media-id}` for the url, the download with the Bearer token, an upload
    /// that gets an id, a delete; a missing token is 401/190 and an id nobody made is 400/100.
    @Test func servesTheMediaASimulatedUserSent() async throws {
        let media = InboundMessage.Media.make(seed: 42, mimeType: "image/jpeg")
        let refused = try await withStandIn { client, log in
            func get(_ path: String, token: String? = "EAAtoken", method: HTTPMethod = .GET) async throws -> ClientResponse {
                let headers: HTTPHeaders = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
                return try await client.execute(method: method, path: path, headers: headers, body: [], timeout: .seconds(5)).get()
            }
            let info = try await get("/v20.0/\(media.id)")
            #expect(info.status == 200)
            let node = try #require(try JSONSerialization.jsonObject(with: Data(info.body)) as? [String: Any])
            #expect(node["id"] as? String == media.id && node["mime_type"] as? String == "image/jpeg" && node["sha256"] as? String == media.sha256)
            #expect(node["messaging_product"] as? String == "whatsapp")
            let link = try #require(node["url"] as? String)
            let url = try #require(URLComponents(string: link))
            let file = try await get(url.path + "?" + (url.query ?? ""))
            #expect(file.status == 200 && file.headers.first(name: "Content-Type") == "image/jpeg")
            #expect(node["file_size"] as? Int == file.body.count && MediaBytes.sha256(file.body) == media.sha256)
            #expect(try await get(url.path + "?" + (url.query ?? ""), token: nil).status == 401)
            #expect(try await get("/v20.0/\(media.id)", token: "wrong").status == 401)
            #expect(try await get("/v20.0/1234567890123456").status == 400)  // not a media id loadgen made
            #expect(try await get("/v20.0/\(media.id)", method: .DELETE).status == 200)
            let (status, uploaded) = try await post(client, "/v20.0/106540352242922/media", "bytes of a photo")
            #expect(status == 200 && (uploaded["id"] as? String).flatMap(MediaBytes.mimeType(ofID:)) == "image/jpeg")
            #expect(log.sends.isEmpty)  // none of it is a send
        }
        #expect(refused == 0)
    }

    @Test func acceptsASendLikeMeta() async throws {
        try await withStandIn { client, log in
            let (status, body) = try await post(client, "/v20.0/106540352242922/messages",
                #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+250 788-123456","type":"text","text":{"body":"hi"}}"#)
            #expect(status == 200)
            #expect(body["messaging_product"] as? String == "whatsapp")
            let contact = (body["contacts"] as? [[String: String]])?.first
            #expect(contact == ["input": "+250 788-123456", "wa_id": "250788123456"])
            let id = ((body["messages"] as? [[String: String]])?.first?["id"]) ?? ""
            #expect(id.hasPrefix("wamid."))
            #expect(log.replies.first?.reply.text == "hi")
            #expect(log.sends.first?.toDigits == "250788123456")
        }
    }

    @Test func freshWamidPerSend() async throws {
        try await withStandIn { client, _ in
            let json = #"{"messaging_product":"whatsapp","to":"250788123456","type":"text","text":{"body":"x"}}"#
            let (_, a) = try await post(client, "/v17.0/106540352242922/messages", json)
            let (_, b) = try await post(client, "/v17.0/106540352242922/messages", json)
            let ids = [a, b].compactMap { ($0["messages"] as? [[String: String]])?.first?["id"] }
            #expect(ids.count == 2 && ids[0] != ids[1])
        }
    }

    @Test func refusesBadTokensWithMetasEnvelope() async throws {
        let refused = try await withStandIn { client, log in
            for token in [nil, "wrong"] as [String?] {
                let (status, body) = try await post(client, "/v20.0/106540352242922/messages",
                    #"{"messaging_product":"whatsapp","to":"1","type":"text","text":{"body":"x"}}"#, token: token)
                #expect(status == 401)
                let error = body["error"] as? [String: Any]
                #expect(error?["code"] as? Int == 190)
                #expect(error?["type"] as? String == "OAuthException")
                #expect((error?["fbtrace_id"] as? String)?.isEmpty == false)
            }
            #expect(log.sends.isEmpty)
        }
        #expect(refused == 2)
    }

    @Test func unknownPhoneNumberIdIsCode100Subcode33() async throws {
        try await withStandIn { client, _ in
            let (status, body) = try await post(client, "/v20.0/999/messages",
                #"{"messaging_product":"whatsapp","to":"1","type":"text","text":{"body":"x"}}"#)
            #expect(status == 400)
            let error = body["error"] as? [String: Any]
            #expect(error?["code"] as? Int == 100)
            #expect(error?["error_subcode"] as? Int == 33)
        }
    }

    /// Refused, and counted: the report's `replies.refused` (a bot whose sends are broken showed only as no_reply).
    @Test func malformedSendsAreRefused() async throws {
        let refused = try await withStandIn { client, log in
            let (s1, b1) = try await post(client, "/v20.0/106540352242922/messages", "{not json")
            #expect(s1 == 400 && (b1["error"] as? [String: Any])?["code"] as? Int == 100)
            let (s2, b2) = try await post(client, "/v20.0/106540352242922/messages", #"{"messaging_product":"whatsapp","type":"text"}"#)
            #expect(s2 == 400 && (b2["error"] as? [String: Any])?["code"] as? Int == 131008)
            #expect(log.sends.isEmpty)
        }
        #expect(refused == 2)
    }

    @Test func markAsReadAndTypingGetSuccessTrue() async throws {
        try await withStandIn { client, log in
            let (status, body) = try await post(client, "/v20.0/106540352242922/messages",
                #"{"messaging_product":"whatsapp","status":"read","message_id":"wamid.X","typing_indicator":{"type":"text"}}"#)
            #expect(status == 200)
            #expect(body["success"] as? Bool == true)
            guard case .markRead("wamid.X", typing: true) = log.sends.first?.kind else { Issue.record("not a read receipt"); return }
        }
    }

    @Test func anyTokenWhenNoneIsConfigured() async throws {
        try await withStandIn(token: nil) { client, _ in
            let (status, _) = try await post(client, "/v20.0/106540352242922/messages",
                #"{"messaging_product":"whatsapp","to":"1","type":"text","text":{"body":"x"}}"#, token: "anything")
            #expect(status == 200)
        }
    }
}
