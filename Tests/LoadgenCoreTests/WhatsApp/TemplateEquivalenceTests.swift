import Foundation
import LoadgenCore
import Testing

/// The templates in payloads/ and the wire layer's built-in renderer describe the same deliveries:
/// rendered with the same values, each pair parses to equal JSON.
@Suite struct TemplateEquivalenceTests {
    static let payloads = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("payloads")

    let user = SimulatedUser(index: 3, seed: 8)
    let media = InboundMessage.Media(id: "1003383421387256", mimeType: "image/jpeg", sha256: "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=")

    private func parse(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    private func template(_ name: String, _ values: [String: PayloadTemplate.Value]) throws -> [UInt8] {
        let t = try PayloadTemplate(name: name, json: Array(try Data(contentsOf: Self.payloads.appendingPathComponent(name + ".json"))))
        let standard = PayloadTemplate.standardValues(business: .default, phone: user.phone, profileName: user.profileName,
                                                      bsuid: user.bsuid, wamid: "wamid.X", timestamp: 1_750_000_000,
                                                      contextWamid: "wamid.CTX", previousWamid: "wamid.PREVIOUS")
        return try t.render(standard.merging(values) { $1 })
    }

    private func code(_ content: InboundMessage.Content, quoted: Bool = false) -> [UInt8] {
        let context = quoted ? InboundMessage.Context(from: BusinessIdentity.default.displayPhoneNumber, id: "wamid.CTX") : nil
        return WebhookEnvelope.render(InboundMessage(id: "wamid.X", timestamp: 1_750_000_000, content: content, context: context),
                                      from: user, business: .default)
    }

    @Test func messageTemplatesMatchTheBuiltInRenderer() throws {
        let cases: [(String, [String: PayloadTemplate.Value], InboundMessage.Content, Bool)] = [
            ("text", ["text": .string("Muraho 🥬")], .text("Muraho 🥬"), false),
            ("button_reply", ["button_id": .string("pay_wallet"), "button_title": .string("💳 Wallet")],
             .buttonReply(id: "pay_wallet", title: "💳 Wallet"), true),
            ("list_reply", ["list_id": .string("svc_rides"), "list_title": .string("🚖 Rides"), "list_description": .string("Moto")],
             .listReply(id: "svc_rides", title: "🚖 Rides", description: "Moto"), true),
            ("location", ["latitude": .number("-1.9441"), "longitude": .number("30.0619"), "location_name": .string("Kigali Heights"),
                          "location_address": .string("KG 7 Ave")],
             .location(latitude: -1.9441, longitude: 30.0619, name: "Kigali Heights", address: "KG 7 Ave"), false),
            ("image", ["media_id": .string(media.id), "mime_type": .string(media.mimeType), "sha256": .string(media.sha256),
                       "caption": .string("carte jaune")], .image(media, caption: "carte jaune"), false),
            ("audio", ["media_id": .string(media.id), "mime_type": .string(media.mimeType), "sha256": .string(media.sha256),
                       "voice": .bool(true)], .audio(media, voice: true), false),
            ("document", ["media_id": .string(media.id), "mime_type": .string(media.mimeType), "sha256": .string(media.sha256),
                          "caption": .string("receipt"), "filename": .string("r.pdf")], .document(media, filename: "r.pdf", caption: "receipt"), false),
            ("sticker", ["media_id": .string(media.id), "mime_type": .string(media.mimeType), "sha256": .string(media.sha256),
                         "animated": .bool(false)], .sticker(media, animated: false), false),
            ("video", ["media_id": .string(media.id), "mime_type": .string(media.mimeType), "sha256": .string(media.sha256),
                       "caption": .string("the flat tyre")], .video(media, caption: "the flat tyre"), false),
            ("contacts", ["contact_name": .string("Aline Uwase"), "contact_first_name": .string("Aline"), "contact_phone": .string("+250788123456"),
                          "contact_wa_id": .string("250788123456")], .contact(name: "Aline Uwase", phone: "+250788123456", waID: "250788123456"), false),
            ("order", ["catalog_id": .string("1022004589346612"), "order_text": .string("for tonight"), "product_id": .string("tomatoes-1kg"),
                       "quantity": .number("2"), "item_price": .number("1500"), "currency": .string("RWF")],
             .order(catalogID: "1022004589346612", items: [CartItem(productID: "tomatoes-1kg", quantity: 2, price: 1500, currency: "RWF")],
                    text: "for tonight"), false),
            ("system", ["system_body": .string("User A changed from +250788000001 to +250788000002"), "new_wa_id": .string("250788000002")],
             .changedNumber(body: "User A changed from +250788000001 to +250788000002", newWaID: "250788000002"), false),
            ("flow_reply", ["response_json": .string(#"{"flow_token":"f-1","date":"2026-12-03"}"#)],
             .flowReply(responseJSON: #"{"flow_token":"f-1","date":"2026-12-03"}"#, body: "Sent"), true),
            ("reaction", ["emoji": .string("👍")], .reaction(messageID: "wamid.CTX", emoji: "👍"), false),
            ("unsupported", ["unsupported_type": .string("poll_creation")], .unsupported(kind: "poll_creation"), false),
        ]
        for (name, values, content, quoted) in cases {
            #expect(try parse(template(name, values)) == parse(code(content, quoted: quoted)), "\(name)")
        }
    }

    /// A deletion and an edit of the user's previous message (`previous_wamid`): the same bytes, not only
    /// the same JSON.
    @Test func theRevokeAndEditTemplatesAreTheRenderersBytes() throws {
        let photo = [("media_id", media.id), ("mime_type", media.mimeType), ("sha256", media.sha256)].map { ($0, PayloadTemplate.Value.string($1)) }
        let cases: [(String, [String: PayloadTemplate.Value], InboundMessage.Content)] = [
            ("revoke", [:], .revoke(originalID: "wamid.PREVIOUS")),
            ("edit", ["text": .string("2 kg, not 3 🍅")], .edit(originalID: "wamid.PREVIOUS", contextID: "M0", message: .text("2 kg, not 3 🍅"))),
            ("edit_caption", Dictionary(uniqueKeysWithValues: photo + [("caption", .string("my new carte jaune"))]),
             .edit(originalID: "wamid.PREVIOUS", contextID: "M0", message: .image(media, caption: "my new carte jaune"))),
        ]
        for (name, values, content) in cases {
            let fromTemplate = try template(name, values), fromCode = code(content)
            #expect(fromTemplate == fromCode, "\(name): \(String(decoding: fromTemplate, as: UTF8.self))")
        }
    }

    @Test func theReferralTemplateMatchesAnAdClick() throws {
        let ad = InboundMessage.Referral(sourceID: "120200000123456", headline: "Flats in Kigali", body: "Tap to chat", clickID: "ARAxyz")
        let fromCode = WebhookEnvelope.render(InboundMessage(id: "wamid.X", timestamp: 1_750_000_000, content: .text("Still free?"), referral: ad),
                                              from: user, business: .default)
        let fromTemplate = try template("referral", ["text": .string("Still free?"), "ad_id": .string(ad.sourceID), "ad_headline": .string(ad.headline),
                                                     "ad_body": .string(ad.body), "ctwa_clid": .string(ad.clickID)])
        #expect(try parse(fromTemplate) == parse(fromCode))
    }

    /// A status names its user as Meta's have since the BSUID rollout: `contacts[]` and `recipient_user_id`.
    @Test func statusTemplateMatchesTheStatusRenderer() throws {
        let fromTemplate = try template("status", ["status": .string("read")])
        let status = MessageStatus(wamid: "wamid.CTX", status: "read", recipient: user.phone, timestamp: 1_750_000_000,
                                   contact: .init(waID: user.phone, userID: user.bsuid), recipientUserID: user.bsuid)
        #expect(try parse(fromTemplate) == parse(StatusEnvelope.render(status, business: .default)))
    }

    /// A `sent` status of a reply in the customer-service window, with its conversation and free pricing.
    @Test func theSentStatusTemplateMatchesTheStatusRenderer() throws {
        let fromTemplate = try template("status_sent", ["conversation_id": .string("72b14d6bd5407799e66f64d1b338e567"),
                                                        "expiration_timestamp": .string("1750086400")])
        let status = MessageStatus(wamid: "wamid.CTX", status: "sent", recipient: user.phone, timestamp: 1_750_000_000,
                                   conversation: .init(id: "72b14d6bd5407799e66f64d1b338e567", expiresAt: 1_750_086_400, origin: "service"),
                                   pricing: .service, contact: .init(waID: user.phone, userID: user.bsuid), recipientUserID: user.bsuid)
        #expect(try parse(fromTemplate) == parse(StatusEnvelope.render(status, business: .default)))
    }

    /// A `failed` status carrying Meta's error: here the closed 24-hour window's 131047. No `contacts[]`,
    /// and no `recipient_user_id` for a message sent to a number.
    @Test func theFailedStatusTemplateMatchesTheStatusRenderer() throws {
        let e = GraphError.reengagement
        let fromTemplate = try template("status_failed", ["error_code": .number(String(e.code)), "error_title": .string(e.title),
                                                          "error_details": .string(e.details)])
        let status = MessageStatus(wamid: "wamid.CTX", status: "failed", recipient: user.phone, timestamp: 1_750_000_000, errors: [e])
        #expect(try parse(fromTemplate) == parse(StatusEnvelope.render(status, business: .default)))
    }
}
