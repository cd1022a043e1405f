import Foundation
import LoadgenCore
import Testing

@Suite struct PayloadTemplateTests {
    @Test func rendersPlaceholdersWithTheirTypesAndKeepsKeyOrder() throws {
        let t = try PayloadTemplate(name: "t", json: Array(#"""
            {"z": "{{text}}", "a": {"lat": "{{latitude}}", "voice": "{{voice}}", "note": "hi {{name}}!"}, "n": [1, 2.50, null, true]}
            """#.utf8))
        #expect(t.placeholders == ["latitude", "name", "text", "voice"])
        let body = try t.render(["text": .string("café 👍"), "latitude": .number("-1.9441"), "voice": .bool(true), "name": .string("Aimé")])
        #expect(String(decoding: body, as: UTF8.self)
            == #"{"z":"caf\u00e9 \ud83d\udc4d","a":{"lat":-1.9441,"voice":true,"note":"hi Aim\u00e9!"},"n":[1,2.50,null,true]}"#)
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: PayloadTemplateError.missingValue(template: "t", placeholder: "text")) {
            try PayloadTemplate(name: "t", json: Array(#"{"a":"{{text}}"}"#.utf8)).render([:])
        }
        #expect(PayloadTemplateError.missingValue(template: "t", placeholder: "text").description
            == "payload template 't': no value for {{text}}")
        #expect(throws: PayloadTemplateError.invalidJSON(template: "bad", offset: 7, reason: "expected a key")) {
            try PayloadTemplate(name: "bad", json: Array(#"{"a":1,}"#.utf8))
        }
        #expect(PayloadTemplateError.invalidJSON(template: "bad", offset: 6, reason: "expected a key").description
            == "payload template 'bad': invalid JSON at byte 6: expected a key")
    }

    @Test func unicodeEscapesInTemplatesRoundTrip() throws {
        let t = try PayloadTemplate(name: "u", json: Array(#"{"s":"Jos\u00e9 \ud83d\udc4d \"q\" \\ /"}"#.utf8))
        let out = try t.render([:])
        let decoded = try JSONSerialization.jsonObject(with: Data(out)) as? [String: String]
        #expect(decoded?["s"] == "José 👍 \"q\" \\ /")
    }
}
