import LoadgenCore
import Testing

/// Template sends checked against the business's templates as Meta checks them: 132001 for a name or
/// language it lacks (or not approved), 132000 for a body with the wrong number of parameters.
@Suite struct BusinessTemplatesTests {
    /// Meta's `GET /{waba-id}/message_templates` answer, trimmed (positional and named parameters, one
    /// template in two languages, one rejected).
    static let metaList = #"""
        {"data": [
          {"name": "order_update", "parameter_format": "POSITIONAL", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
           "components": [{"type": "HEADER", "format": "TEXT", "text": "Order {{1}}"},
                          {"type": "BODY", "text": "Hi {{1}}, your order {{2}} ships {{3}}. Thanks, {{1}}!"},
                          {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Track"}]}], "id": "1"},
          {"name": "order_update", "language": "fr", "status": "APPROVED", "category": "UTILITY",
           "components": [{"type": "BODY", "text": "Bonjour {{1}}, commande {{2}} expédiée {{3}}."}], "id": "2"},
          {"name": "welcome", "parameter_format": "NAMED", "language": "en_US", "category": "MARKETING",
           "components": [{"type": "BODY", "text": "Welcome {{first_name}}!"}], "id": "3"},
          {"name": "promo", "language": "en_US", "status": "REJECTED", "components": [{"type": "BODY", "text": "Sale"}], "id": "4"}
        ], "paging": {"cursors": {"before": "MAZDZD", "after": "MjQZD"}}}
        """#

    @Test func readsMetasListCountingDistinctBodyPlaceholders() throws {
        let t = try BusinessTemplates.parse(Array(Self.metaList.utf8), path: "t.json")
        #expect(t.templates == [
            .init(name: "order_update", language: "en_US", category: "UTILITY", bodyParameters: 3),
            .init(name: "order_update", language: "fr", category: "UTILITY", bodyParameters: 3),
            .init(name: "welcome", language: "en_US", category: "MARKETING", bodyParameters: 1),
            .init(name: "promo", language: "en_US", bodyParameters: 0, approved: false),
        ])
        // The `data` array alone reads the same.
        let bare = #"[{"name": "welcome", "language": "en_US", "components": [{"type": "body", "text": "Hi {{1}}"}]}]"#
        #expect(try BusinessTemplates.parse(Array(bare.utf8), path: "t.json").templates == [.init(name: "welcome", language: "en_US", bodyParameters: 1)])
    }

    @Test func checksNameLanguageApprovalAndBodyParameters() throws {
        let t = try BusinessTemplates.parse(Array(Self.metaList.utf8), path: "t.json")
        #expect(t.check(TemplateCall(name: "order_update", language: "en_US", bodyParameters: 3)) == nil)
        #expect(t.check(TemplateCall(name: "order_update", language: "fr", bodyParameters: 3)) == nil)
        #expect(t.check(TemplateCall(name: "welcome", language: "en_US", bodyParameters: 1)) == nil)
        #expect(t.check(TemplateCall(name: "order_updates", language: "en_US", bodyParameters: 3)) == .templateMissing(name: "order_updates", language: "en_US"))
        #expect(t.check(TemplateCall(name: "order_update", language: "es", bodyParameters: 3)) == .templateMissing(name: "order_update", language: "es"))
        #expect(t.check(TemplateCall(name: "promo", language: "en_US", bodyParameters: 0)) == .templateMissing(name: "promo", language: "en_US"))
        #expect(t.check(TemplateCall(name: "order_update", language: "en_US", bodyParameters: 2)) == .templateParameters(given: 2, expected: 3))
    }

    /// Meta's words, as captured: title and details of 132001 and 132000, and their HTTP statuses.
    @Test func theErrorsAreMetas() {
        let missing = GraphError.templateMissing(name: "erp_aviso", language: "es_MX")
        #expect(missing == GraphError(code: 132001, title: "Template name does not exist in the translation",
                                      details: "template name (erp_aviso) does not exist in es_MX", httpStatus: 404))
        let count = GraphError.templateParameters(given: 2, expected: 1)
        #expect(count == GraphError(code: 132000, title: "Number of parameters does not match the expected number of params",
                                    details: "body: number of localizable_params (2) does not match the expected number of params (1)", httpStatus: 400))
    }

    @Test(arguments: [
        ("{\"data\": [", "--graph-templates t.json: not JSON: unexpected end at byte 10"),
        ("{\"templates\": []}", "--graph-templates t.json: no template list; write Meta's message_templates list, {\"data\": [{\"name\": …, \"language\": …, \"components\": […]}]}"),
        ("{\"data\": [{\"name\": \"a\", \"language\": \"en\"}, {\"name\": \"b\"}]}", "--graph-templates t.json: template 2 needs a name and a language; write Meta's message_templates list, {\"data\": [{\"name\": …, \"language\": …, \"components\": […]}]}"),
    ])
    func aFileThatIsNotATemplateListSaysWhy(text: String, message: String) {
        #expect(throws: ConfigError(message)) { try BusinessTemplates.parse(Array(text.utf8), path: "t.json") }
    }

    /// What a template send says: its name, language code, and the parameters of its body component.
    @Test func aTemplateSendIsReadForWhatMetaChecks() throws {
        let body = #"""
            {"messaging_product":"whatsapp","to":"+16505551234","type":"template","template":{"name":"order_update",
             "language":{"policy":"deterministic","code":"en_US"},"components":[
               {"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/h.png"}}]},
               {"type":"body","parameters":[{"type":"text","text":"Pablo"},{"type":"currency","currency":{"fallback_value":"$10","code":"USD","amount_1000":10000}},
                                            {"type":"date_time","date_time":{"fallback_value":"May 1, 2026"}}]},
               {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"TRACK_1234"}]}]}}
            """#
        let send = try GraphSend.parse(Array(body.utf8))
        #expect(send.template == TemplateCall(name: "order_update", language: "en_US", bodyParameters: 3))
        let text = try GraphSend.parse(Array(#"{"messaging_product":"whatsapp","to":"1","type":"text","text":{"body":"hi"}}"#.utf8))
        #expect(text.template == nil)
    }
}
