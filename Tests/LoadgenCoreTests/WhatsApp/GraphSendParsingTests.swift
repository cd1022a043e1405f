import LoadgenCore
import Testing

/// What a bot's send becomes for the matchers and `Choose`: text, media kind, buttons and rows, for
/// every kind of send Meta takes (text, interactive buttons/list/cta_url/flow/product, media, template).
@Suite struct GraphSendParsingTests {
    private func reply(_ json: String) throws -> BotReply {
        let send = try GraphSend.parse(Array(json.utf8))
        guard case .message(let reply) = send.kind else { throw Unexpected() }
        return reply
    }
    struct Unexpected: Error {}

    @Test func aMediaSendIsItsKindAndCaption() throws {
        let photo = try reply(#"{"messaging_product":"whatsapp","to":"250788000001","type":"image","image":{"link":"https://x/y.jpg","caption":"Your ticket"}}"#)
        #expect(photo.type == "image" && photo.media == "image" && photo.text == "Your ticket")
        let doc = try reply(#"{"messaging_product":"whatsapp","to":"250788000001","type":"document","document":{"id":"123","filename":"r.pdf"}}"#)
        #expect(doc.media == "document" && doc.text == "")
        let text = try reply(#"{"messaging_product":"whatsapp","to":"250788000001","type":"text","text":{"body":"hi"}}"#)
        #expect(text.media == nil && text.text == "hi")
    }

    @Test func aLinkAFlowAndAProductShowTheirCallToAction() throws {
        let link = try reply(#"""
            {"messaging_product":"whatsapp","to":"250788000001","type":"interactive","interactive":{"type":"cta_url",
             "header":{"type":"image","image":{"link":"https://x/h.jpg"}},"body":{"text":"Pay for order 12"},
             "action":{"name":"cta_url","parameters":{"display_text":"Pay now","url":"https://pay.example/12"}}}}
            """#)
        #expect(link.text == "Pay for order 12\nPay now" && link.media == "image" && link.buttons.isEmpty)
        let flow = try reply(#"""
            {"messaging_product":"whatsapp","to":"250788000001","type":"interactive","interactive":{"type":"flow",
             "body":{"text":"Book a table"},"action":{"name":"flow","parameters":{"flow_message_version":"3","flow_cta":"Book!","flow_id":"1"}}}}
            """#)
        #expect(flow.text == "Book a table\nBook!")
        let products = try reply(#"""
            {"messaging_product":"whatsapp","to":"250788000001","type":"interactive","interactive":{"type":"product_list",
             "header":{"type":"text","text":"Vegetables"},"body":{"text":"Pick yours"},"action":{"catalog_id":"1",
             "sections":[{"title":"Fresh","product_items":[{"product_retailer_id":"tomatoes-1kg"},{"product_retailer_id":"kale"}]}]}}}
            """#)
        #expect(products.text == "Vegetables\nPick yours" && products.rows.map(\.id) == ["tomatoes-1kg", "kale"])
        let one = try reply(#"""
            {"messaging_product":"whatsapp","to":"250788000001","type":"interactive","interactive":{"type":"product",
             "body":{"text":"Today's pick"},"action":{"catalog_id":"1","product_retailer_id":"avocado"}}}
            """#)
        #expect(one.text == "Today's pick\navocado")
    }

    @Test func aTemplateSendReadsAsItsName() throws {
        let t = try reply(#"""
            {"messaging_product":"whatsapp","to":"250788000001","type":"template","template":{"name":"order_ready","language":{"code":"en"}}}
            """#)
        #expect(t.type == "template" && t.text == "order_ready")
    }

    @Test func buttonsAndRowsStayAsTheyWere() throws {
        let menu = try reply(#"""
            {"messaging_product":"whatsapp","to":"250788000001","type":"interactive","interactive":{"type":"list","body":{"text":"Services"},
             "action":{"button":"Choose","sections":[{"title":"All","rows":[{"id":"rides","title":"Rides","description":"moto"}]}]}}}
            """#)
        #expect(menu.rows == [BotReply.Choice(id: "rides", title: "Rides")] && menu.text == "Services" && menu.media == nil)
    }
}
