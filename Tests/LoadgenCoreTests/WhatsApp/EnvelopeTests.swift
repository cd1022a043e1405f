import Foundation
import LoadgenCore
import Testing

@Suite struct EnvelopeTests {
    let user = SimulatedUser(index: 7, seed: 42)

    private func render(_ content: InboundMessage.Content, context: InboundMessage.Context? = nil) throws -> (value: [String: Any], message: [String: Any], bytes: [UInt8]) {
        let message = InboundMessage(id: Wamid.inbound(phone: user.phone, sequence: 1), timestamp: 1_750_000_000,
                                     content: content, context: context)
        let bytes = WebhookEnvelope.render(message, from: user, business: .default)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(root["object"] as? String == "whatsapp_business_account")
        let entry = try #require((root["entry"] as? [[String: Any]])?.first)
        #expect(entry["id"] as? String == "102290129340398")
        let change = try #require((entry["changes"] as? [[String: Any]])?.first)
        #expect(change["field"] as? String == "messages")
        let value = try #require(change["value"] as? [String: Any])
        #expect(value["messaging_product"] as? String == "whatsapp")
        let metadata = try #require(value["metadata"] as? [String: String])
        #expect(metadata == ["display_phone_number": "15550783881", "phone_number_id": "106540352242922"])
        let contact = try #require((value["contacts"] as? [[String: Any]])?.first)
        #expect((contact["profile"] as? [String: String])?["name"] == user.profileName)
        #expect(contact["wa_id"] as? String == user.phone)
        #expect(contact["user_id"] as? String == user.bsuid)
        let m = try #require((value["messages"] as? [[String: Any]])?.first)
        #expect(m["from"] as? String == user.phone)
        #expect(m["from_user_id"] as? String == user.bsuid)
        #expect((m["id"] as? String)?.hasPrefix("wamid.") == true)
        #expect(m["timestamp"] as? String == "1750000000")  // a string, as Meta sends it
        #expect(bytes.allSatisfy { $0 < 0x80 })
        return (value, m, bytes)
    }

    @Test func text() throws {
        let (_, m, _) = try render(.text("Ndashaka imboga 🥬"))
        #expect(m["type"] as? String == "text")
        #expect((m["text"] as? [String: String])?["body"] == "Ndashaka imboga 🥬")
    }

    @Test func buttonReply() throws {
        let context = InboundMessage.Context(from: "15550783881", id: "wamid.BUTTONS")
        let (_, m, _) = try render(.buttonReply(id: "pay_wallet", title: "💳 Wallet"), context: context)
        #expect(m["type"] as? String == "interactive")
        let interactive = try #require(m["interactive"] as? [String: Any])
        #expect(interactive["type"] as? String == "button_reply")
        #expect(interactive["button_reply"] as? [String: String] == ["id": "pay_wallet", "title": "💳 Wallet"])
        #expect(m["context"] as? [String: String] == ["from": "15550783881", "id": "wamid.BUTTONS"])
    }

    @Test func listReply() throws {
        let (_, m, _) = try render(.listReply(id: "v_kimironko_fresh", title: "Kimironko Fresh", description: "0.8 km"))
        let interactive = try #require(m["interactive"] as? [String: Any])
        #expect(interactive["type"] as? String == "list_reply")
        #expect(interactive["list_reply"] as? [String: String]
            == ["id": "v_kimironko_fresh", "title": "Kimironko Fresh", "description": "0.8 km"])
    }

    @Test func location() throws {
        let (_, m, bytes) = try render(.location(latitude: -1.9441, longitude: 30.0619, name: "Kigali Heights", address: nil))
        #expect(m["type"] as? String == "location")
        let location = try #require(m["location"] as? [String: Any])
        #expect(location["latitude"] as? Double == -1.9441)  // JSON numbers, not strings
        #expect(location["longitude"] as? Double == 30.0619)
        #expect(location["name"] as? String == "Kigali Heights")
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""latitude":-1.9441"#))
    }

    @Test func media() throws {
        let photo = InboundMessage.Media.make(seed: 1, mimeType: "image/jpeg")
        #expect(photo == InboundMessage.Media.make(seed: 1, mimeType: "image/jpeg"))  // deterministic
        #expect(photo.id.allSatisfy { $0.isNumber })
        #expect(Data(base64Encoded: photo.sha256)?.count == 32)
        let (_, image, _) = try render(.image(photo, caption: "carte jaune"))
        #expect(image["type"] as? String == "image")
        let node = try #require(image["image"] as? [String: Any])
        #expect(node["id"] as? String == photo.id)
        #expect(node["mime_type"] as? String == "image/jpeg")
        #expect(node["sha256"] as? String == photo.sha256)
        #expect(node["caption"] as? String == "carte jaune")
        let (_, voice, _) = try render(.audio(.make(seed: 2, mimeType: "audio/ogg; codecs=opus"), voice: true))
        #expect((voice["audio"] as? [String: Any])?["voice"] as? Bool == true)
        let (_, doc, _) = try render(.document(.make(seed: 3, mimeType: "application/pdf"), filename: "receipt.pdf", caption: nil))
        #expect((doc["document"] as? [String: Any])?["filename"] as? String == "receipt.pdf")
        let (_, sticker, _) = try render(.sticker(.make(seed: 4, mimeType: "image/webp"), animated: true))
        #expect((sticker["sticker"] as? [String: Any])?["animated"] as? Bool == true)
        let (_, video, _) = try render(.video(.make(seed: 5, mimeType: "video/mp4"), caption: "the flat tyre"))
        #expect(video["type"] as? String == "video")
        #expect((video["video"] as? [String: Any])?["mime_type"] as? String == "video/mp4")
        #expect((video["video"] as? [String: Any])?["caption"] as? String == "the flat tyre")
    }

    @Test func anOrderCarriesItsCart() throws {
        let items = [CartItem(productID: "tomatoes-1kg", quantity: 2, price: 1500, currency: "RWF"),
                     CartItem(productID: "avocado", quantity: 1, price: 2.5, currency: "USD")]
        let (_, m, _) = try render(.order(catalogID: "1022004589346612", items: items, text: nil))
        #expect(m["type"] as? String == "order")
        let order = try #require(m["order"] as? [String: Any])
        #expect(order["catalog_id"] as? String == "1022004589346612" && order["text"] == nil)
        let lines = try #require(order["product_items"] as? [[String: Any]])
        #expect(lines.map { $0["product_retailer_id"] as? String } == ["tomatoes-1kg", "avocado"])
        #expect(lines.map { $0["quantity"] as? Int } == [2, 1])
        #expect(lines.map { $0["item_price"] as? Double } == [1500, 2.5])
    }

    @Test func aFlowReplyAndAnAdClickAreShapedAsMetaSendsThem() throws {
        let (_, flow, _) = try render(.flowReply(responseJSON: #"{"flow_token":"f-1"}"#, body: "Sent"))
        let interactive = try #require(flow["interactive"] as? [String: Any])
        #expect(interactive["type"] as? String == "nfm_reply")
        #expect(interactive["nfm_reply"] as? [String: String] == ["response_json": #"{"flow_token":"f-1"}"#, "body": "Sent", "name": "flow"])
        let ad = InboundMessage.Referral(sourceID: "120200000123456", headline: "Flats", body: "Tap", clickID: "ARAxyz")
        let body = WebhookEnvelope.render(InboundMessage(id: "wamid.AD", timestamp: 1, content: .text("hi"), referral: ad), phone: "250788000001",
                                          profileName: "A", bsuid: nil, business: .default)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let value = ((root["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first?["value"] as? [String: Any]
        let referral = try #require(((value?["messages"] as? [[String: Any]])?.first?["referral"]) as? [String: String])
        #expect(referral["source_type"] == "ad" && referral["source_id"] == "120200000123456" && referral["ctwa_clid"] == "ARAxyz")
        #expect(referral["headline"] == "Flats")
    }

    @Test func aChangedNumberComesWithoutContacts() throws {
        let message = InboundMessage(id: "wamid.SYS", timestamp: 1_750_000_000,
                                     content: .changedNumber(body: "User A changed from +1 to +2", newWaID: "250788000002"))
        let body = WebhookEnvelope.render(message, phone: "250788000001", profileName: "A", bsuid: nil, business: .default)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let value = try #require(((root["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first?["value"] as? [String: Any])
        #expect(value["contacts"] == nil)
        let sent = try #require((value["messages"] as? [[String: Any]])?.first)
        #expect(sent["type"] as? String == "system" && sent["from"] as? String == "250788000001")
        #expect(sent["system"] as? [String: String] == ["body": "User A changed from +1 to +2", "wa_id": "250788000002", "type": "user_changed_number"])
    }

    @Test func aContactCardCarriesItsNameAndPhone() throws {
        let (_, m, _) = try render(.contact(name: "Aline Uwase", phone: "+250788123456", waID: "250788123456"))
        #expect(m["type"] as? String == "contacts")
        let card = try #require((m["contacts"] as? [[String: Any]])?.first)
        #expect(card["name"] as? [String: String] == ["formatted_name": "Aline Uwase", "first_name": "Aline"])
        #expect(card["phones"] as? [[String: String]] == [["phone": "+250788123456", "type": "CELL", "wa_id": "250788123456"]])
    }

    @Test func reactionsAddAndRemove() throws {
        let (_, added, _) = try render(.reaction(messageID: "wamid.BOT", emoji: "👍"))
        #expect(added["type"] as? String == "reaction")
        #expect(added["reaction"] as? [String: String] == ["message_id": "wamid.BOT", "emoji": "👍"])
        let (_, removed, _) = try render(.reaction(messageID: "wamid.BOT", emoji: nil))
        #expect(removed["reaction"] as? [String: String] == ["message_id": "wamid.BOT"])  // no emoji key, as Meta sends it
    }

    @Test func unsupportedCarriesMetasError() throws {
        let (_, m, _) = try render(.unsupported(kind: "poll_creation"))
        #expect(m["type"] as? String == "unsupported")
        #expect((m["unsupported"] as? [String: String])?["type"] == "poll_creation")
        let error = try #require((m["errors"] as? [[String: Any]])?.first)
        #expect(error["code"] as? Int == 131051)
    }

    @Test func usernameUsersHaveNoPhone() throws {
        let message = InboundMessage(id: "wamid.U", timestamp: 1, content: .text("hi"))
        let bytes = WebhookEnvelope.render(message, phone: nil, profileName: "Aline", bsuid: "RW.123", business: .default)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("wa_id") && !text.contains(#""from":"#))
        #expect(text.contains(#""user_id":"RW.123""#) && text.contains(#""from_user_id":"RW.123""#))
    }

    @Test func usersAreDeterministicPerSeedAndDistinct() {
        let a = (0..<2000).map { SimulatedUser(index: $0, seed: 1) }
        let b = (0..<2000).map { SimulatedUser(index: $0, seed: 1) }
        let c = (0..<2000).map { SimulatedUser(index: $0, seed: 2) }
        #expect(a == b)
        #expect(a.map(\.phone) != c.map(\.phone))
        #expect(Set(a.map(\.phone)).count == 2000)
        #expect(Set(a.map(\.bsuid)).count == 2000)
        #expect(a.allSatisfy { $0.phone.count == 12 && $0.phone.hasPrefix("2507") && $0.phone.allSatisfy(\.isNumber) })
        #expect(a.allSatisfy { $0.bsuid.hasPrefix("RW.") })
    }

    @Test func wamidsLookLikeMetasAndAreUnique() {
        let ids = (0..<1000).map { Wamid.inbound(phone: "250788123456", sequence: UInt64($0)) }
        #expect(Set(ids).count == 1000)
        for id in ids.prefix(10) {
            #expect(id.hasPrefix("wamid.HBgM"))  // 0x1C 0x18 0x0C: a 12-digit phone follows
            let b64 = String(id.dropFirst(6))
            let raw = Array(Data(base64Encoded: b64) ?? Data())
            #expect(raw.count > 20)
            #expect(raw.contains(0x12))  // inbound marker
            #expect(String(decoding: raw[3..<15], as: UTF8.self) == "250788123456")
        }
    }
}
