import Foundation

/// A webhook payload template from `payloads/`: Meta's JSON with `{{placeholders}}`, rendered into the
/// exact ASCII-escaped bytes loadgen signs and sends.
///
/// A string value that is exactly `"{{name}}"` is replaced by the value's JSON type (so
/// `"latitude": "{{latitude}}"` becomes a number); placeholders inside longer strings are replaced as
/// text. Key order is kept as written. Unknown placeholders are an error, so a typo cannot go out.
///
/// ```swift
/// let t = try PayloadTemplate(name: "text", json: Array(file.utf8))
/// let body = try t.render(["phone": .string("250788123456"), "text": .string("Muraho")])
/// ```
public struct PayloadTemplate: Sendable, Hashable {
    public let name: String
    let root: JSONValue

    /// A value to substitute.
    public enum Value: Sendable, Hashable {
        case string(String)
        /// A JSON number written exactly as given (e.g. `"-1.9441"`).
        case number(String)
        case bool(Bool)
    }

    /// Parses a template; throws with the byte offset of the first JSON error.
    public init(name: String, json: [UInt8]) throws(PayloadTemplateError) {
        self.name = name
        var parser = JSONParser(bytes: json)
        do {
            root = try parser.parseDocument()
        } catch {
            throw .invalidJSON(template: name, offset: error.offset, reason: error.reason)
        }
    }

    /// Every placeholder the template uses, sorted.
    public var placeholders: [String] { Array(Set(root.placeholders)).sorted() }

    /// Renders with `values`; throws when a placeholder has no value.
    public func render(_ values: [String: Value]) throws(PayloadTemplateError) -> [UInt8] {
        if let missing = placeholders.first(where: { values[$0] == nil }) {
            throw .missingValue(template: name, placeholder: missing)
        }
        var w = JSONWriter(capacity: 1024)
        root.write(to: &w, values: values)
        return w.bytes
    }
}

/// A template that cannot be used.
public enum PayloadTemplateError: Error, Equatable, CustomStringConvertible {
    case invalidJSON(template: String, offset: Int, reason: String)
    case missingValue(template: String, placeholder: String)

    public var description: String {
        switch self {
        case .invalidJSON(let t, let offset, let reason): "payload template '\(t)': invalid JSON at byte \(offset): \(reason)"
        case .missingValue(let t, let p): "payload template '\(t)': no value for {{\(p)}}"
        }
    }
}

/// JSON with object keys in their written order and numbers kept as written.
/// (Not `indirect`: objects and arrays already hold their children in array buffers, and a box per value
/// would be one more allocation for every string and number of every delivery.)
public enum JSONValue: Sendable, Hashable {
    case object([Member])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
    }

    var placeholders: [String] {
        switch self {
        case .object(let members): members.flatMap(\.value.placeholders)
        case .array(let items): items.flatMap(\.placeholders)
        case .string(let s): Self.placeholderNames(in: s)
        default: []
        }
    }

    static func placeholderNames(in s: String) -> [String] { s.placeholderNames }

    func write(to w: inout JSONWriter, values: [String: PayloadTemplate.Value]) {
        switch self {
        case .object(let members):
            w.object { w in for m in members { w.field(m.key) { m.value.write(to: &$0, values: values) } } }
        case .array(let items):
            w.array { w in for item in items { item.write(to: &w, values: values) } }
        case .string(let s):
            let names = Self.placeholderNames(in: s)
            if names.count == 1, s == "{{\(names[0])}}", let value = values[names[0]] {
                switch value {
                case .string(let text): w.string(text)
                case .number(let literal): w.rawNumber(literal)
                case .bool(let b): w.bool(b)
                }
            } else {
                var text = s
                for name in names {
                    let replacement: String = switch values[name] {
                    case .string(let t)?: t
                    case .number(let n)?: n
                    case .bool(let b)?: b ? "true" : "false"
                    case nil: ""
                    }
                    text = text.replacingOccurrences(of: "{{\(name)}}", with: replacement)
                }
                w.string(text)
            }
        case .number(let literal): w.rawNumber(literal)
        case .bool(let b): w.bool(b)
        case .null: w.rawNumber("null")
        }
    }
}

