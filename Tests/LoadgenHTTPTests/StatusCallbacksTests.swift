import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOHTTP1
import Testing

/// The status webhooks the bot gets for its sends, like Meta's (reference §2.4): `sent` and
/// `delivered` with the conversation and the pricing, `read` without them, and a message Meta fails
/// later gets one `failed` status carrying its error.
@Suite(.timeLimit(.minutes(1)))
struct StatusCallbacksTests {
    /// The bot's webhook: every status delivery it gets, in order.
    struct Webhook: HTTPResponder {
        let sink: AsyncStream<[String: Any]>.Continuation
        func respond(to request: ServerRequest) async -> ServerResponse {
            let root = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            let change = ((root?["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first
            if let status = ((change?["value"] as? [String: Any])?["statuses"] as? [[String: Any]])?.first { sink.yield(status) }
            return .text(.ok, "ok")
        }
    }

    func send(to: String, type: String, template: TemplateCall? = nil, wamid: String) -> GraphSend {
        GraphSend(kind: .message(BotReply(type: type, text: "x", messageID: wamid)), to: to, recipient: nil, contextMessageID: nil, template: template)
    }

    @Test func repliesAreSentDeliveredAndReadAndAFailedMessageOnlyFails() async throws {
        let templates = BusinessTemplates([.init(name: "offers", language: "en", category: "MARKETING")])
        let callbacks = StatusCallbacks(business: .default, templates: templates)
        let (stream, sink) = AsyncStream.makeStream(of: [String: Any].self)
        let delivery = try StatusCallbacks.Delivery(to: .inProcess(Webhook(sink: sink)), path: "/webhook", appSecret: Secret("s"))
        var got: [String: [[String: Any]]] = [:]  // by wamid
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await callbacks.run(to: delivery) }
            callbacks.enqueue(send(to: "250788000001", type: "text", wamid: "wamid.REPLY"))
            callbacks.enqueue(send(to: "250788000002", type: "template", template: TemplateCall(name: "offers", language: "en", bodyParameters: 0),
                                   wamid: "wamid.OFFER"))
            callbacks.enqueue(send(to: "250788000003", type: "text", wamid: "wamid.LATE"), failure: .reengagement)
            var count = 0
            for await status in stream {
                got[status["id"] as? String ?? "", default: []].append(status)
                count += 1
                if count == 7 { break }
            }
            group.cancelAll()
        }
        let counts = callbacks.delivered
        #expect(counts.sent == 7 && counts.failed == 0 && counts.dropped == 0)
        let reply = got["wamid.REPLY"] ?? []
        #expect(reply.map { $0["status"] as? String } == ["sent", "delivered", "read"])
        let sent = try #require(reply.first), delivered = try #require(reply.dropFirst().first), read = try #require(reply.last)
        let conversation = try #require(sent["conversation"] as? [String: Any])
        #expect((conversation["id"] as? String)?.count == 32 && (conversation["origin"] as? [String: Any])?["type"] as? String == "service")
        #expect(Int(conversation["expiration_timestamp"] as? String ?? "") == Int(sent["timestamp"] as? String ?? "").map { $0 + 86_400 })
        #expect(sent["pricing"] as? NSDictionary == ["billable": false, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"])
        let deliveredConversation = try #require(delivered["conversation"] as? [String: Any])
        #expect(deliveredConversation["id"] as? String == conversation["id"] as? String && deliveredConversation["expiration_timestamp"] == nil)
        #expect(delivered["pricing"] as? NSDictionary == sent["pricing"] as? NSDictionary)
        #expect(read["conversation"] == nil && read["pricing"] == nil)
        let offer = try #require(got["wamid.OFFER"]?.first)
        #expect(offer["pricing"] as? NSDictionary == ["billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"])
        #expect((offer["conversation"] as? [String: Any])?["origin"] as? NSDictionary == ["type": "marketing"])
        let late = try #require(got["wamid.LATE"])
        #expect(late.count == 1 && late.first?["status"] as? String == "failed" && late.first?["recipient_id"] as? String == "250788000003")
        let error = try #require((late.first?["errors"] as? [[String: Any]])?.first)
        #expect(error["code"] as? Int == 131047 && error["title"] as? String == "Re-engagement message" && error["message"] as? String == "Re-engagement message")
        #expect(error["href"] as? String == "/documentation/business-messaging/whatsapp/support/error-codes")
        #expect(late.first?["conversation"] == nil && late.first?["pricing"] == nil)
    }

    /// The bot's webhook: each delivery's `value` (its `contacts` and its one status).
    struct Values: HTTPResponder {
        let sink: AsyncStream<[String: Any]>.Continuation
        func respond(to request: ServerRequest) async -> ServerResponse {
            let root = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            let change = ((root?["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first
            if let value = change?["value"] as? [String: Any] { sink.yield(value) }
            return .text(.ok, "ok")
        }
    }

    /// With the users known, statuses name them as Meta's have since the BSUID rollout: `contacts[]`
    /// (`wa_id` when the send went to the number, `user_id` always) and `recipient_user_id`; a `failed`
    /// status of a send to a number has neither, and a send to nobody simulated names no one.
    @Test func statusesNameTheirUserByNumberAndBSUID() async throws {
        let users = (0..<3).map { SimulatedUser(index: $0, seed: 4) }
        let callbacks = StatusCallbacks(business: .default, recipients: UserDirectory(users))
        let (stream, sink) = AsyncStream.makeStream(of: [String: Any].self)
        let delivery = try StatusCallbacks.Delivery(to: .inProcess(Values(sink: sink)), path: "/webhook", appSecret: Secret("s"))
        var got: [String: [[String: Any]]] = [:]  // values by wamid
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await callbacks.run(to: delivery) }
            callbacks.enqueue(send(to: users[0].phone, type: "text", wamid: "wamid.PHONE"))
            callbacks.enqueue(GraphSend(kind: .message(BotReply(type: "text", text: "x", messageID: "wamid.BSUID")), to: nil, recipient: users[1].bsuid,
                                        contextMessageID: nil))
            callbacks.enqueue(send(to: users[2].phone, type: "text", wamid: "wamid.FAILED"), failure: .reengagement)
            callbacks.enqueue(send(to: "15550000000", type: "text", wamid: "wamid.NOBODY"))
            var count = 0
            for await value in stream {
                let status = (value["statuses"] as? [[String: Any]])?.first
                got[status?["id"] as? String ?? "", default: []].append(value)
                count += 1
                if count == 10 { break }
            }
            group.cancelAll()
        }
        func contacts(_ value: [String: Any]?) -> NSArray? { value?["contacts"] as? NSArray }
        func userID(_ value: [String: Any]?) -> String? { ((value?["statuses"] as? [[String: Any]])?.first)?["recipient_user_id"] as? String }
        let phone = got["wamid.PHONE"] ?? []
        #expect(phone.count == 3 && phone.allSatisfy { contacts($0) == [["wa_id": users[0].phone, "user_id": users[0].bsuid]] })
        #expect(phone.allSatisfy { userID($0) == users[0].bsuid })
        let bsuid = got["wamid.BSUID"] ?? []
        #expect(bsuid.count == 3 && bsuid.allSatisfy { contacts($0) == [["user_id": users[1].bsuid]] && userID($0) == users[1].bsuid })
        let failed = try #require(got["wamid.FAILED"]?.first)
        #expect(contacts(failed) == nil && userID(failed) == nil)
        #expect((got["wamid.NOBODY"] ?? []).allSatisfy { contacts($0) == nil && userID($0) == nil })
    }
}
