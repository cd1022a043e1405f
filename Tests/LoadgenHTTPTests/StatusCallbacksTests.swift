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
}
