import Foundation

/// What the target said when it refused a turn: the first few distinct response bodies (or failure
/// reasons) per error class, truncated and with secrets redacted, so a report says
/// `http_429 ×31: {"error":"Rate limit exceeded"}`, not only a count.
public struct ErrorSamples: Sendable, Codable, Equatable {
    /// Distinct samples kept per class.
    public static let perClass = 3
    /// A sample is cut past this many characters (and marked with `…`).
    public static let maxCharacters = 200

    /// Per error class (report.json's keys), the samples in the order they were first seen.
    public private(set) var byClass: [String: [String]] = [:]

    public init() {}

    /// Keeps `text` for `errorClass` unless that class has its samples or this one already.
    public mutating func note(_ errorClass: ErrorClass, _ text: String) {
        let sample = Self.clean(text)
        guard !sample.isEmpty else { return }
        var kept = byClass[errorClass.rawValue, default: []]
        guard kept.count < Self.perClass, !kept.contains(sample) else { return }
        kept.append(sample)
        byClass[errorClass.rawValue] = kept
    }

    /// Adds `other`'s samples after this one's, as many as fit.
    public mutating func merge(_ other: ErrorSamples) {
        for key in other.byClass.keys.sorted() {
            var kept = byClass[key, default: []]
            for sample in other.byClass[key] ?? [] where kept.count < Self.perClass && !kept.contains(sample) { kept.append(sample) }
            byClass[key] = kept
        }
    }

    /// One line: control characters and runs of white space become one space, cut to `maxCharacters`.
    static func clean(_ text: String) -> String {
        var out = ""
        var space = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
                space = !out.isEmpty
                continue
            }
            if space { out.append(" ") }
            space = false
            out.unicodeScalars.append(scalar)
            if out.count >= maxCharacters { return out + "…" }
        }
        return out
    }
}

/// Hides secrets in what a target said before it is kept: the values loadgen holds (app secret, verify
/// token, access token) wherever they appear, and what follows `Bearer ` or a `token`, `secret`,
/// `password` or `authorization` key in JSON or a query string.
public struct Redactor: Sendable {
    private let secrets: [String]

    /// A redactor for these secret values (empty ones are ignored).
    public init(secrets: [String]) { self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count } }

    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets { out = out.replacingOccurrences(of: secret, with: "[redacted]") }
        return Self.redactNamed(out)
    }

    /// Blanks the value after a name that says it is secret: `Bearer VALUE`, `"access_token": "VALUE"`,
    /// `password=VALUE`.
    private static func redactNamed(_ text: String) -> String {
        let lower = Array(text.lowercased().utf8)
        let bytes = Array(text.utf8)
        guard lower.count == bytes.count else { return text }  // a case mapping changed lengths: leave it be
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard let name = secretNames.first(where: { lower[i...].starts(with: $0.utf8) }) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let value = valueStart(after: i + name.utf8.count, in: lower, bearer: name == "bearer ")
            var end = value ?? i + name.utf8.count
            while value != nil, end < bytes.count, !endsValue(bytes[end]) { end += 1 }
            out += bytes[i ..< (value ?? end)]
            if let value, end > value { out += Array("[redacted]".utf8) }
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let secretNames = ["bearer ", "token", "secret", "password", "authorization", "api_key", "apikey"]

    /// Where the value of a secret-named key starts: after the rest of the key (`_id"`), spaces, a `:`
    /// or `=` and an opening quote; right away after `Bearer `. Nil when no value follows.
    private static func valueStart(after k: Int, in lower: [UInt8], bearer: Bool) -> Int? {
        if bearer { return k < lower.count ? k : nil }
        var j = k
        while j < lower.count, isWordByte(lower[j]) || lower[j] == UInt8(ascii: "_") || lower[j] == UInt8(ascii: "\"") || lower[j] == UInt8(ascii: "'") { j += 1 }
        while j < lower.count, lower[j] == UInt8(ascii: " ") { j += 1 }
        guard j < lower.count, lower[j] == UInt8(ascii: ":") || lower[j] == UInt8(ascii: "=") else { return nil }
        j += 1
        while j < lower.count, lower[j] == UInt8(ascii: " ") || lower[j] == UInt8(ascii: "\"") || lower[j] == UInt8(ascii: "'") { j += 1 }
        for scheme in ["bearer ", "basic "] where lower[j...].starts(with: scheme.utf8) { j += scheme.utf8.count }  // `Authorization: Bearer …`
        return j < lower.count ? j : nil
    }

    private static func isWordByte(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
    private static func endsValue(_ b: UInt8) -> Bool {
        [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "&"), UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: " ")].contains(b)
    }
}
