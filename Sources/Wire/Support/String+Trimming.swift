import Foundation

extension StringProtocol {
    /// The text without leading and trailing spaces.
    package var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

extension StringProtocol {
    /// The names between `{{` and `}}`, in order (payload templates, users' fields in message text).
    package var placeholderNames: [String] {
        var names: [String] = []
        var rest = self[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }
}
