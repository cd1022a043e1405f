import Foundation
import LoadgenCore
import Testing

/// The parser every bot delivery, Graph send and upstream answer goes through, checked against
/// Foundation's `JSONSerialization` as the oracle.
@Suite struct JSONParserTests {
    private func parsedString(_ json: String) throws -> String? {
        guard case .string(let s) = try JSONValue.parse(Array(json.utf8)) else { return nil }
        return s
    }

    private func oracle(_ json: String) throws -> String? {
        try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) as? String
    }

    @Test(arguments: [
        #""plain""#, #""caf\u00e9""#, #""\ud83d\udc4d and \ud83e\udd6c""#, #""quote \" backslash \\ slash \/""#,
        #""line\nbreak\ttab\r\b\f""#, #""\u0001""#, #""Muraho! \u00c0 bient\u00f4t \u65e5\u672c""#, #""before \u00e9 after""#,
        #""\u00E9\u00e9""#, #""é raw UTF-8 and \u00e9 escaped""#, #""""#, #""\\""#,
    ])
    func stringsDecodeAsFoundationDoes(json: String) throws {
        #expect(try parsedString(json) == oracle(json))
    }

    /// A surrogate without its partner is U+FFFD, and the escape after it still counts.
    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try parsedString(#""\ud83d""#) == "\u{FFFD}")
        #expect(try parsedString(#""\ud83dx""#) == "\u{FFFD}x")
        #expect(try parsedString(#""\ud83d\u00e9""#) == "\u{FFFD}é")
        #expect(try parsedString(#""\udc4d""#) == "\u{FFFD}")
    }

    @Test func documentsKeepOrderAndNumbersAsWritten() throws {
        let v = try JSONValue.parse(Array(#" {"b": [1, -2.5e3, true, false, null], "a": {"k": "v"}} "#.utf8))
        guard case .object(let members) = v else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a"])
        #expect(try v.array("b") == [.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])
        #expect(try v.object("a")?.string("k") == "v")
    }

    @Test(arguments: [
        (#""unterminated"#, "unterminated string"), (#""bad \u12g4""#, #"bad \u escape"#), (#""ctl "#, "unterminated string"),
        ("\"tab\there\"", "control character in a string"), ("tru", "expected true"), ("[1,]", "unexpected character ']'"),
        ("{\"a\" 1}", "expected ':'"), ("1 2", "unexpected data after the document"), ("-", "invalid number -"),
    ])
    func malformedDocumentsAreRefusedWithTheReason(json: String, reason: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(Array(json.utf8)) }
        do { _ = try JSONValue.parse(Array(json.utf8)) } catch { #expect(error.reason == reason) }
    }
}
