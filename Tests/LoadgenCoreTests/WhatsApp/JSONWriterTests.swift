import Foundation
import LoadgenCore
import Testing

@Suite struct JSONWriterTests {
    private func written(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("café", #""caf\u00e9""#),
        ("👍", #""\ud83d\udc4d""#),
        ("quote \" backslash \\", #""quote \" backslash \\""#),
        ("line\nbreak\ttab", #""line\nbreak\ttab""#),
        ("\u{01}", #""\u0001""#),
        ("a/b@c", #""a/b@c""#),
    ])
    func escapesLikeMeta(input: String, expected: String) {
        #expect(written(input) == expected)
    }

    @Test func outputIsAsciiAndRoundTrips() throws {
        let text = "Muraho! Ndashaka imboga 🥬 — Où? 日本"
        let bytes = { var w = JSONWriter(); w.object { $0.field("t", string: text) }; return w.bytes }()
        #expect(bytes.allSatisfy { $0 < 0x80 })
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String]
        #expect(decoded?["t"] == text)
    }
}

extension JSONWriterTests {
    /// A number's digits written as a string are `String(value)`'s, quoted, for every length up to the widest.
    @Test func digitsAreTheNumbersOwn() {
        var values: [Int64] = [0, 7, -7, 1_750_000_000, .max, .min]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, -power]
        }
        for value in values {
            var w = JSONWriter()
            w.array { w in w.string(digitsOf: value); w.string(digitsOf: value) }
            #expect(String(decoding: w.bytes, as: UTF8.self) == "[\"\(value)\",\"\(value)\"]")
        }
    }
}
