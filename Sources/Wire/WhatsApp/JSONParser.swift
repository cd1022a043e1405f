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

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        let l = Array(literal.utf8)
        guard bytes.count - i >= l.count, Array(bytes[i..<i + l.count]) == l else {
            throw Failure(offset: i, reason: "expected \(literal)")
        }
        i += l.count
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
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
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
        return try parseEscapedString()
    }

    private mutating func parseEscapedString() throws(Failure) -> String {
        var units: [UInt16] = []
        var utf8: [UInt8] = []
        func flushUTF8() {
            if !utf8.isEmpty { units += String(decoding: utf8, as: UTF8.self).utf16; utf8.removeAll() }
        }
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                flushUTF8()
                return String(decoding: units, as: UTF16.self)
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                flushUTF8()
                switch e {
                case UInt8(ascii: "n"): units.append(0x0A)
                case UInt8(ascii: "t"): units.append(0x09)
                case UInt8(ascii: "r"): units.append(0x0D)
                case UInt8(ascii: "b"): units.append(0x08)
                case UInt8(ascii: "f"): units.append(0x0C)
                case UInt8(ascii: "u"):
                    guard bytes.count - i >= 4, let v = UInt16(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                        throw Failure(offset: i, reason: "bad \\u escape")
                    }
                    units.append(v)
                    i += 4
                default: units.append(UInt16(e))  // \" \\ \/
                }
            case 0..<0x20:
                throw Failure(offset: i - 1, reason: "control character in a string")
            default:
                utf8.append(c)
            }
        }
        throw Failure(offset: i, reason: "unterminated string")
    }
}
