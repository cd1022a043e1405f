/// Reading a parsed document the way `JSONDecoder` with optional fields does: an absent key or `null`
/// is nil, a value of another type than asked is a mismatch (the whole document is refused), keys not
/// asked for are ignored. Without the `Codable` machinery: on a bot's and a stand-in's hot path its
/// generic containers cost more than the rest of a delivery.
extension JSONValue {
    /// A value of another type than the reader asked for.
    public struct Mismatch: Error, Sendable {
        public var key: String

        @usableFromInline init(key: String) { self.key = key }
    }

    /// Parses UTF-8 JSON (RFC 8259).
    public static func parse(_ bytes: [UInt8]) throws(JSONParser.Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// The value of `key` in an object (the first, if written twice); nil when absent, `null`, or this is
    /// not an object.
    public subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self, let value = members.first(where: { $0.key == key })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    /// The string at `key`, nil when absent or `null`.
    public func string(_ key: String) throws(Mismatch) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let s) = value else { throw Mismatch(key: key) }
        return s
    }

    /// The number at `key`, nil when absent or `null`.
    public func number(_ key: String) throws(Mismatch) -> Double? {
        guard let value = self[key] else { return nil }
        guard case .number(let literal) = value, let n = Double(literal) else { throw Mismatch(key: key) }
        return n
    }

    /// The object at `key`, nil when absent or `null`.
    public func object(_ key: String) throws(Mismatch) -> JSONValue? {
        guard let value = self[key] else { return nil }
        guard case .object = value else { throw Mismatch(key: key) }
        return value
    }

    /// The array at `key`, nil when absent or `null`.
    public func array(_ key: String) throws(Mismatch) -> [JSONValue]? {
        guard let value = self[key] else { return nil }
        guard case .array(let items) = value else { throw Mismatch(key: key) }
        return items
    }

    /// The array of objects at `key`, each read by `read`; nil when absent or `null`. Inlinable: a reader
    /// in another module gets it specialised for its `T` (unspecialised, its array of `T` looked up
    /// generic metadata on every call, on a bot's hot path).
    @inlinable
    public func objects<T>(_ key: String, _ read: (JSONValue) throws(Mismatch) -> T) throws(Mismatch) -> [T]? {
        guard let items = try array(key) else { return nil }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard case .object = item else { throw Mismatch(key: key) }
            out.append(try read(item))
        }
        return out
    }
}
