/// A small JSON parser that keeps what `JSONSerialization` loses: object key order and numbers as written.
/// Enough for payload templates (RFC 8259, UTF-8, `\u` escapes with surrogate pairs).
public struct JSONParser {
    /// Where and why a document is not JSON.
    public struct Failure: Error, Sendable {
        public var offset: Int
        public var reason: String
    }

    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(Failure) -> JSONValue {
        let value = try parseValue()
        skipSpace()
        guard i == bytes.count else { throw Failure(offset: i, reason: "unexpected data after the document") }
        return value
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        let matches = bytes.count - i >= count && literal.withUTF8Buffer { l in
            (0..<count).allSatisfy { bytes[i + $0] == l[$0] }
        }
        guard matches else { throw Failure(offset: i, reason: "expected \(literal)") }
        i += count
        return value
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        skipSpace()
        guard i < bytes.count else { throw Failure(offset: i, reason: "unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw Failure(offset: i, reason: "unexpected character '\(Character(Unicode.Scalar(bytes[i])))'")
        }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        i += 1
        var members: [JSONValue.Member] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Failure(offset: i, reason: "expected a key") }
            let key = try parseString()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw Failure(offset: i, reason: "expected ':'") }
            i += 1
            members.append(JSONValue.Member(key: key, value: try parseValue()))
            skipSpace()
            guard i < bytes.count else { throw Failure(offset: i, reason: "unexpected end in an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw Failure(offset: i, reason: "expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try parseValue())
            skipSpace()
            guard i < bytes.count else { throw Failure(offset: i, reason: "unexpected end in an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw Failure(offset: i, reason: "expected ',' or ']'")
        }
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = i
        while i < bytes.count, Self.isNumberByte(bytes[i]) { i += 1 }
        let literal = String(decoding: bytes[start..<i], as: UTF8.self)
        guard Double(literal) != nil else { throw Failure(offset: start, reason: "invalid number \(literal)") }
        return .number(literal)
    }

    private mutating func parseString() throws(Failure) -> String {
        i += 1
        // Most strings have no escape: one scan to the closing quote and one decode.
        var end = i
        while end < bytes.count {
            let c = bytes[end]
            if c == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[i..<end], as: UTF8.self)
                i = end + 1
                return text
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { break }
            end += 1
        }
        return try parseEscapedString(scanned: end)
    }

    /// A string with escapes, from its first byte after the quote (`i`), plain up to `scanned`: unescaped
    /// runs are copied as they are, escapes decoded straight to UTF-8 (a `\u` pair of surrogates to one
    /// scalar), one `String` at the end. Meta escapes every non-ASCII character (`\u00e9`, emoji as
    /// surrogate pairs), so this is the common path for any text that is not plain ASCII.
    private mutating func parseEscapedString(scanned: Int) throws(Failure) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(32)
        var run = i
        i = scanned  // the plain bytes before it were scanned already
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                utf8.append(contentsOf: bytes[run..<i])
                i += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if c < 0x20 { throw Failure(offset: i, reason: "control character in a string") }
            guard c == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            utf8.append(contentsOf: bytes[run..<i])
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "u"): appendUTF8(of: try parseEscapedScalar(), to: &utf8)
            default: utf8.append(e)  // \" \\ \/
            }
            run = i
        }
        throw Failure(offset: i, reason: "unterminated string")
    }

    /// The scalar of a `\uXXXX` escape whose `XXXX` starts at `i`, joining a surrogate pair written as two
    /// escapes; a lone surrogate becomes U+FFFD, as decoding UTF-16 does.
    private mutating func parseEscapedScalar() throws(Failure) -> Unicode.Scalar {
        let unit = try hex4()
        guard (0xD800..<0xDC00).contains(unit) else { return Unicode.Scalar(unit) ?? "\u{FFFD}" }
        guard bytes.count - i >= 6, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { return "\u{FFFD}" }
        let save = i
        i += 2
        let low = try hex4()
        guard (0xDC00..<0xE000).contains(low) else {
            i = save  // not a pair: the second escape stands on its own
            return "\u{FFFD}"
        }
        return Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)) ?? "\u{FFFD}"
    }

    /// Four hex digits at `i`.
    private mutating func hex4() throws(Failure) -> UInt16 {
        guard bytes.count - i >= 4 else { throw Failure(offset: i, reason: "bad \\u escape") }
        var value: UInt16 = 0
        for k in 0..<4 {
            guard let nibble = Hex.value(of: bytes[i + k]) else { throw Failure(offset: i, reason: "bad \\u escape") }
            value = value << 4 | UInt16(nibble)
        }
        i += 4
        return value
    }

    private func appendUTF8(of scalar: Unicode.Scalar, to utf8: inout [UInt8]) {
        utf8.append(contentsOf: UTF8.encode(scalar)!)
    }

    private static func isNumberByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"),
             UInt8(ascii: "E"): true
        default: false
        }
    }
}
