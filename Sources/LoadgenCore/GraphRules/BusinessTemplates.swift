/// The message templates the business has (`--graph-templates FILE`): with them, the stand-in Graph API
/// checks every template send as Meta does — an unknown name, a language the template lacks, or one not
/// approved is 132001; a body with the wrong number of parameters is 132000. Without them, any template
/// goes through.
///
/// The file is what Meta's `GET /{waba-id}/message_templates` returns (or its `data` array alone), so a
/// business's real list can be saved and given as is; by hand, only `name`, `language` and the BODY's
/// text are needed:
///
/// ```json
/// {"data": [{"name": "order_update", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
///            "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped."}]}]}
/// ```
public struct BusinessTemplates: Sendable, Hashable {
    /// One template in one language.
    public struct Template: Sendable, Hashable {
        public var name: String
        public var language: String
        /// Meta's category (`UTILITY`, `MARKETING`, `AUTHENTICATION`), if the file says.
        public var category: String?
        /// The distinct `{{…}}` placeholders of its BODY text.
        public var bodyParameters: Int
        /// Only approved templates can be sent (no `status`: approved).
        public var approved: Bool

        public init(name: String, language: String, category: String? = nil, bodyParameters: Int = 0, approved: Bool = true) {
            self.name = name
            self.language = language
            self.category = category
            self.bodyParameters = bodyParameters
            self.approved = approved
        }
    }

    public let templates: [Template]

    public init(_ templates: [Template]) { self.templates = templates }

    /// Meta's error for `call`, or nil when the business has it, approved, with that many body parameters.
    public func check(_ call: TemplateCall) -> GraphError? {
        guard let template = self.template(call) else { return .templateMissing(name: call.name, language: call.language) }
        guard call.bodyParameters == template.bodyParameters else {
            return .templateParameters(given: call.bodyParameters, expected: template.bodyParameters)
        }
        return nil
    }

    /// The approved template `call` names, in its language.
    public func template(_ call: TemplateCall) -> Template? {
        templates.first { $0.name == call.name && $0.language == call.language && $0.approved }
    }

    /// Reads Meta's `message_templates` list (`{"data": […]}` or the array alone) from `bytes`; the
    /// message of a `ConfigError` names `path` and what is wrong, in one line.
    public static func parse(_ bytes: [UInt8], path: String) throws(ConfigError) -> BusinessTemplates {
        let root: JSONValue
        do { root = try JSONValue.parse(bytes) } catch {
            throw ConfigError("--graph-templates \(path): not JSON: \(error.reason) at byte \(error.offset)")
        }
        let shape = "write Meta's message_templates list, {\"data\": [{\"name\": …, \"language\": …, \"components\": […]}]}"
        let items: [JSONValue]
        if case .array(let all) = root { items = all } else if let data = try? root.array("data") { items = data } else {
            throw ConfigError("--graph-templates \(path): no template list; \(shape)")
        }
        var templates: [Template] = []
        for (i, item) in items.enumerated() {
            guard let name = (try? item.string("name")) ?? nil, !name.isEmpty, let language = (try? item.string("language")) ?? nil,
                  !language.isEmpty else {
                throw ConfigError("--graph-templates \(path): template \(i + 1) needs a name and a language; \(shape)")
            }
            let status = (try? item.string("status")) ?? nil
            templates.append(Template(name: name, language: language, category: (try? item.string("category")) ?? nil,
                                      bodyParameters: Set(bodyText(item).placeholderNames).count,
                                      approved: status.map { $0.uppercased() == "APPROVED" } ?? true))
        }
        return BusinessTemplates(templates)
    }

    /// The text of a template's BODY component (Meta writes the type in capitals; any case is read).
    private static func bodyText(_ item: JSONValue) -> String {
        guard case .array(let components)? = item["components"] else { return "" }
        for component in components where ((try? component.string("type")) ?? nil)?.uppercased() == "BODY" {
            return ((try? component.string("text")) ?? nil) ?? ""
        }
        return ""
    }
}
