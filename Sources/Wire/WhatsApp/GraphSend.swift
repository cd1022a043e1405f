import Foundation

/// A bot's call to `POST /{version}/{phone-number-id}/messages`, parsed: a message send, a mark-as-read,
/// or a typing indicator. Parsing is lenient about fields loadgen does not need and strict about the
/// ones it does (`messaging_product`, and `to` or `recipient` on a send).
public struct GraphSend: Sendable, Hashable {
    /// What kind of call it is.
    public enum Kind: Sendable, Hashable {
        /// A message to a user.
        case message(BotReply)
        /// `status: read` on an inbound message, optionally with a typing indicator.
        case markRead(messageID: String, typing: Bool)
    }

    public var kind: Kind
    /// The `to` field as sent (may contain `+`, spaces, dashes).
    public var to: String?
    /// The BSUID in `recipient`, for username users without a phone number.
    public var recipient: String?
    /// `context.message_id`: the inbound wamid this send quotes, if any.
    public var contextMessageID: String?
    /// A template send's template: what Meta checks against the business's approved templates.
    public var template: TemplateCall?

    /// Creates a send (tests and in-memory bots; the stand-in parses them from bodies).
    public init(kind: Kind, to: String?, recipient: String?, contextMessageID: String?, template: TemplateCall? = nil) {
        self.kind = kind
        self.to = to
        self.recipient = recipient
        self.contextMessageID = contextMessageID
        self.template = template
    }

    /// Why a body is not a valid send; carries Meta's error code for the envelope.
    public struct Invalid: Error, Sendable, Equatable {
        public var code: Int
        public var details: String
    }

    /// `to` reduced to digits, as Meta normalises it into `wa_id`.
    public var toDigits: String? {
        guard let to else { return nil }
        let isDigit = { (c: UInt8) in c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        if to.utf8.allSatisfy(isDigit) { return to }  // as most bots send it: no copy
        return String(decoding: to.utf8.filter(isDigit), as: UTF8.self)
    }

    /// Parses a request body.
    public static func parse(_ body: [UInt8]) throws(Invalid) -> GraphSend {
        guard let root = try? JSONValue.parse(body), case .object = root, let wire = try? Wire(root) else {
            throw Invalid(code: 100, details: "Invalid parameter: the body is not valid JSON.")
        }
        guard wire.messaging_product == "whatsapp" else {
            throw Invalid(code: 100, details: "The parameter messaging_product is required and must be whatsapp.")
        }
        if wire.status == "read" {
            guard let id = wire.message_id else {
                throw Invalid(code: 131008, details: "The parameter message_id is required.")
            }
            return GraphSend(kind: .markRead(messageID: id, typing: wire.typing_indicator),
                             to: nil, recipient: nil, contextMessageID: nil)
        }
        guard wire.to?.isEmpty == false || wire.recipient?.isEmpty == false else {
            throw Invalid(code: 131008, details: "The parameter to is required.")
        }
        guard let type = wire.type ?? (wire.hasText ? "text" : nil) else {
            throw Invalid(code: 131008, details: "The parameter type is required.")
        }
        return GraphSend(kind: .message(BotReply(type: type, wire: wire)), to: wire.to, recipient: wire.recipient,
                         contextMessageID: wire.contextMessageID, template: type == "template" ? wire.template : nil)
    }

    // The subset of Meta's send schema loadgen reads, read as `JSONDecoder` reads optional fields (a
    // field of the wrong type refuses the body) without its cost: every bot send on the hot path.
    struct Wire {
        var messaging_product: String?
        var to: String?
        var recipient: String?
        var type: String?
        var status: String?
        var message_id: String?
        var typing_indicator: Bool
        var contextMessageID: String?
        var hasText: Bool
        var textBody: String?
        var interactive: Interactive?
        /// A media send (`image`, `video`, `document`, `audio`, `sticker`): its kind and caption.
        var mediaKind: String?
        var mediaCaption: String?
        /// A template send's name.
        var templateName: String?
        /// A template send's template: name, language, body parameters.
        var template: TemplateCall?

        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            messaging_product = try j.string("messaging_product")
            to = try j.string("to")
            recipient = try j.string("recipient")
            type = try j.string("type")
            status = try j.string("status")
            message_id = try j.string("message_id")
            typing_indicator = try j.object("typing_indicator").map { (t) throws(JSONValue.Mismatch) in _ = try t.string("type") } != nil
            contextMessageID = try j.object("context")?.string("message_id")
            let text = try j.object("text")
            hasText = text != nil
            textBody = try text?.string("body")
            interactive = try j.object("interactive").map(Interactive.init)
            for kind in Self.mediaKinds {
                guard let node = try j.object(kind) else { continue }
                mediaKind = kind
                mediaCaption = try node.string("caption")
                break
            }
            let template = try j.object("template")
            templateName = try template?.string("name")
            self.template = try template.map(TemplateCall.init)
        }

        static let mediaKinds = ["image", "video", "document", "audio", "sticker"]

        struct Interactive {
            var header: String?
            /// The header's media kind (`image`, `video`, `document`) when it is not text.
            var headerMedia: String?
            var body: String?
            var footer: String?
            /// What a link, Flow or product message shows on its call to action (`display_text`,
            /// `flow_cta`), or the product it shows.
            var action: String?
            var buttons: [BotReply.Choice] = []
            var rows: [BotReply.Choice] = []

            init(_ j: JSONValue) throws(JSONValue.Mismatch) {
                _ = try j.string("type")
                let head = try j.object("header")
                header = try head?.string("text")
                headerMedia = try head?.string("type").flatMap { GraphSend.Wire.mediaKinds.contains($0) ? $0 : nil }
                body = try j.object("body")?.string("text")
                footer = try j.object("footer")?.string("text")
                guard let action = try j.object("action") else { return }
                _ = try action.string("button")
                let parameters = try action.object("parameters")
                let display = try parameters?.string("display_text")
                let cta = try parameters?.string("flow_cta")
                let product = try action.string("product_retailer_id")
                self.action = display ?? cta ?? product
                buttons = try action.objects("buttons") { (b) throws(JSONValue.Mismatch) in try b.object("reply").map(Self.choice) }?
                    .compactMap { $0 } ?? []
                rows = try action.objects("sections") { (section) throws(JSONValue.Mismatch) -> [BotReply.Choice] in
                    _ = try section.string("title")
                    // A list's rows, or a product list's items (their retailer ids, as a user picks them).
                    let products: [BotReply.Choice] = try section.objects("product_items", Self.product) ?? []
                    let rows: [BotReply.Choice] = try section.objects("rows", Self.choice) ?? []
                    return rows + products
                }?.flatMap { $0 } ?? []
            }

            private static func product(_ j: JSONValue) throws(JSONValue.Mismatch) -> BotReply.Choice {
                let id = try j.string("product_retailer_id") ?? ""
                return BotReply.Choice(id: id, title: id)
            }

            private static func choice(_ j: JSONValue) throws(JSONValue.Mismatch) -> BotReply.Choice {
                _ = try j.string("description")
                return BotReply.Choice(id: try j.string("id") ?? "", title: try j.string("title") ?? "")
            }
        }
    }
}

/// What the bot said to a user: the text a person would read and the choices it offered.
public struct BotReply: Sendable, Hashable {
    /// The Graph message type: `text`, `interactive`, `image`, `template`, …
    public var type: String
    /// The readable text: a text body, or an interactive message's header, body and footer joined.
    public var text: String
    /// Reply buttons offered (id, title), in order.
    public var buttons: [Choice]
    /// List rows offered (id, title), in order across sections.
    public var rows: [Choice]
    /// The `wamid.` the Graph API returned for this send (what a user's tap or reaction quotes).
    public var messageID: String?
    /// The media the reply carries — a media send, or an interactive message's media header — by kind
    /// (`image`, `video`, `document`, `audio`, `sticker`); nil for none.
    public var media: String?

    /// One button or list row.
    public struct Choice: Sendable, Hashable {
        public var id: String
        public var title: String
        public init(id: String, title: String) { self.id = id; self.title = title }
    }

    /// Creates a reply.
    public init(type: String, text: String, buttons: [Choice] = [], rows: [Choice] = [], messageID: String? = nil) {
        self.type = type
        self.text = text
        self.buttons = buttons
        self.rows = rows
        self.messageID = messageID
    }

    /// What a person reads: a text body; an interactive message's header, body, footer and call to action;
    /// a media send's caption; a template send's name (its text is stored at Meta).
    init(type: String, wire: GraphSend.Wire) {
        self.type = type
        if let interactive = wire.interactive {
            text = [interactive.header, interactive.body, interactive.footer, interactive.action].compactMap { $0 }.joined(separator: "\n")
            buttons = interactive.buttons
            rows = interactive.rows
            media = interactive.headerMedia
        } else {
            text = wire.textBody ?? wire.mediaCaption ?? wire.templateName ?? ""
            buttons = []
            rows = []
            media = wire.mediaKind
        }
    }
}
