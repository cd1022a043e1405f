import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import NIOCore
import NIOHTTP1
import ReferenceBot
import Testing

/// Every template in payloads/ renders into a valid signed delivery: the reference bot checks the
/// signature and parses it, acks each with 200, and answers every message (not the status).
@Suite(.timeLimit(.minutes(1)))
struct PayloadTemplateDeliveryTests {
    static let payloads = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("payloads")

    static let values: [String: PayloadTemplate.Value] = [
        "text": .string("Muraho! Ndashaka imboga 🥬"), "button_id": .string("svc_farmer"), "button_title": .string("🥬 Farmers market"),
        "list_id": .string("svc_rides"), "list_title": .string("🚖 Rides"), "list_description": .string("Find a moto"),
        "latitude": .number("-1.9441"), "longitude": .number("30.0619"), "location_name": .string("Kigali Heights"),
        "location_address": .string("KG 7 Ave, Kigali"), "media_id": .string("1003383421387256"), "mime_type": .string("image/jpeg"),
        "sha256": .string("SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI="), "caption": .string("carte jaune"), "voice": .bool(true),
        "filename": .string("receipt.pdf"), "animated": .bool(false), "emoji": .string("👍"),
        "unsupported_type": .string("poll_creation"), "status": .string("delivered"), "contact_name": .string("Aline Uwase"),
        "contact_first_name": .string("Aline"), "contact_phone": .string("+250788123456"), "contact_wa_id": .string("250788123456"),
        "catalog_id": .string("1022004589346612"), "order_text": .string("for tonight"), "product_id": .string("tomatoes-1kg"),
        "quantity": .number("2"), "item_price": .number("1500"), "currency": .string("RWF"),
        "system_body": .string("User A changed from +250788000001 to +250788000002"), "new_wa_id": .string("250788000002"),
        "response_json": .string(#"{"flow_token":"f-1","date":"2026-12-03"}"#), "ad_id": .string("120200000123456"),
        "ad_headline": .string("Flats in Kigali"), "ad_body": .string("Tap to chat"), "ctwa_clid": .string("ARAxyz"),
        "error_code": .number("131000"), "error_title": .string("Something went wrong"), "error_details": .string("Try again later"),
        "second_text": .string("Are you there?"), "conversation_id": .string("72b14d6bd5407799e66f64d1b338e567"),
        "expiration_timestamp": .string("1750086400"),
    ]

    @Test func everyTemplateIsASignedDeliveryTheBotAccepts() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.payloads.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 25)
        let secret = Secret("app-secret")
        let signer = WebhookSigner(appSecret: secret)
        let log = SendLog()
        let graph = try await HTTPServer.bind(host: "127.0.0.1", port: 0)
        let standIn = GraphAPIStandIn(phoneNumberID: BusinessIdentity.default.phoneNumberID, accessToken: nil) { send, _ in log.record(send) }
        let bot = try ReferenceBot(config: BotConfiguration(appSecret: secret, verifyToken: Secret("v"), accessToken: Secret("t"),
                                                            graphBaseURL: try TargetURL(graph.baseURL + "/v20.0")))
        let server = try await bot.bind()
        let client = try HTTPClient(origin: Origin(tls: false, host: "127.0.0.1", port: server.port), maxConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await graph.run(standIn) }
            group.addTask { await bot.run(on: server) }
            defer { group.cancelAll() }
            var messages = 0
            for (i, file) in files.enumerated() {
                let name = String(file.dropLast(5))
                let template = try PayloadTemplate(name: name, json: Array(try Data(contentsOf: Self.payloads.appendingPathComponent(file))))
                let user = SimulatedUser(index: i, seed: 11)
                let standard = PayloadTemplate.standardValues(business: .default, phone: user.phone, profileName: user.profileName,
                                                              bsuid: user.bsuid, wamid: Wamid.inbound(phone: user.phone, sequence: 1),
                                                              timestamp: 1_750_000_000, contextWamid: "wamid.HBgMQ09OVEVYVA==",
                                                              previousWamid: Wamid.inbound(phone: user.phone, sequence: 0))
                let body = try template.render(standard.merging(Self.values) { $1 })
                #expect(body.allSatisfy { $0 < 0x80 }, "\(name): not ASCII")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], "\(name)")
                #expect(json["object"] as? String == "whatsapp_business_account")
                let response = try await client.execute(
                    method: .POST, path: "/webhook",
                    headers: ["Content-Type": "application/json", "X-Hub-Signature-256": signer.signature(for: body)],
                    body: body, timeout: .seconds(5)).get()
                #expect(response.status == 200, "\(name): HTTP \(response.status)")
                messages += Self.messageCount(json)
            }
            #expect(messages == files.count - 4 + 1)  // none in the three statuses and errors, two in multi_entry
            let sends = await log.waitFor(messages)
            #expect(sends.count == messages)  // one answer per message, in every entry and change; none for a status or errors
        }
        client.shutdown()
    }

    /// The messages a delivery carries, over every entry and change.
    static func messageCount(_ json: [String: Any]) -> Int {
        let changes = (json["entry"] as? [[String: Any]] ?? []).flatMap { $0["changes"] as? [[String: Any]] ?? [] }
        return changes.reduce(0) { $0 + (((($1["value"] as? [String: Any])?["messages"]) as? [Any])?.count ?? 0) }
    }
}
