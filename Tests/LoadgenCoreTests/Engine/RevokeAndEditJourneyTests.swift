import Foundation
import LoadgenCore
import Testing

/// `Send.revoke()` and `Send.edit` are about the user's previous message: the id of the last message the
/// user sent (a burst's last one typed; a revoke or an edit is not a message of its own), across passes
/// of the journey; before any, an id the user never sent.
@Suite struct RevokeAndEditJourneyTests {
    @Test func eachChangeNamesTheUsersPreviousMessage() async throws {
        let scenario = Scenario("second-thoughts", summary: "test") {
            Persona("user") {
                Send.revoke()
                Send.text("a")
                Send.revoke()
                Send.edit("b")
                Send.image(caption: "c")
                Send.edit(caption: "d")
                Send.burst(["x", "y"])
                Send.edit("z")
            }
        }
        let plan = Workload(scenario: scenario, users: 1, duration: .seconds(60), journeysPerUser: 2, delivery: DeliveryOptions(reorder: 1))
        let bot = ScriptedBot(users: plan.users)
        let result = await Engine(clock: ContinuousClock(), transport: bot, signer: WebhookSigner(appSecret: Secret("s")),
                                  correlator: bot.correlator, unixTime: { 1_750_000_000 }).run(plan)
        #expect(result.metrics.turns == 18 && result.metrics.errorTurns == 0)  // 9 a pass: the burst is two turns
        let messages = try bot.seenBodies.map { body in
            let root = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let value = ((root["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first?["value"] as? [String: Any]
            return try #require((value?["messages"] as? [[String: Any]])?.first)
        }
        #expect(messages.count == 18)  // 9 deliveries a pass: the burst is two
        func id(_ i: Int) -> String? { messages[i]["id"] as? String }
        func original(_ i: Int) -> String? {
            let type = messages[i]["type"] as? String ?? ""
            return (messages[i][type] as? [String: Any])?["original_message_id"] as? String
        }
        let types = messages.map { $0["type"] as? String ?? "" }
        #expect(types == Array(repeating: ["revoke", "text", "revoke", "edit", "image", "edit", "text", "text", "edit"], count: 2).flatMap(\.self))
        #expect(original(0) == Wamid.inbound(phone: plan.users[0].phone, sequence: 0))  // nothing sent before it
        #expect(original(2) == id(1) && original(3) == id(1))  // the revoke is no message of its own: the edit is about "a" too
        #expect(original(5) == id(4))
        let photo = try #require(messages[4]["image"] as? [String: Any])
        let edited = try #require(((messages[5]["edit"] as? [String: Any])?["message"] as? [String: Any]))
        #expect(edited["type"] as? String == "image" && (edited["context"] as? [String: String]) == ["id": "M0"])
        let newCaption = try #require(edited["image"] as? [String: Any])
        #expect(newCaption["caption"] as? String == "d")
        #expect(newCaption["id"] as? String == photo["id"] as? String && newCaption["sha256"] as? String == photo["sha256"] as? String)
        // The burst was delivered reversed ("y" first): the edit is about "y", the last one typed.
        #expect((messages[6]["text"] as? [String: String])?["body"] == "y")
        #expect(original(8) == id(6))
        #expect(((messages[8]["edit"] as? [String: Any])?["message"] as? [String: Any]).flatMap { $0["text"] as? [String: String] } == ["body": "z"])
        #expect(original(9) == id(6))  // the next pass's first revoke: the user's last message is the previous pass's
    }
}
