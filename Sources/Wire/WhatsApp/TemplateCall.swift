/// The template of a `type: template` send, as Meta checks it against the business's approved
/// templates: its name, its language code, and how many parameters its body fills.
///
/// ```json
/// "template": {"name": "order_update", "language": {"code": "en_US"},
///              "components": [{"type": "body", "parameters": [{"type": "text", "text": "Pablo"}]}]}
/// ```
public struct TemplateCall: Sendable, Hashable {
    public var name: String
    /// `language.code`; empty when the send gave none.
    public var language: String
    /// The parameters of the `body` component (0 without one).
    public var bodyParameters: Int

    public init(name: String, language: String, bodyParameters: Int) {
        self.name = name
        self.language = language
        self.bodyParameters = bodyParameters
    }

    /// Reads a send's `template` object.
    init(_ j: JSONValue) throws(JSONValue.Mismatch) {
        name = try j.string("name") ?? ""
        language = try j.object("language")?.string("code") ?? ""
        let components = try j.objects("components") { (c) throws(JSONValue.Mismatch) -> Int? in
            guard try c.string("type")?.lowercased() == "body" else { return nil }
            return try c.array("parameters")?.count ?? 0
        }
        bodyParameters = components?.compactMap { $0 }.reduce(0, +) ?? 0
    }
}
