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

    /// Creates a send (tests and in-memory bots; the stand-in parses them from bodies).
    public init(kind: Kind, to: String?, recipient: String?, contextMessageID: String?) {
        self.kind = kind
        self.to = to
        self.recipient = recipient
        self.contextMessageID = contextMessageID
    }

    /// Why a body is not a valid send; carries Meta's error code for the envelope.
    public struct Invalid: Error, Sendable, Equatable {
        public var code: Int
        public var details: String
    }

    /// `to` reduced to digits, as Meta normalises it into `wa_id`.
    public var toDigits: String? {
        to.map { String($0.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }) }
    }

    /// Parses a request body.
    public static func parse(_ body: [UInt8]) throws(Invalid) -> GraphSend {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch {
            throw Invalid(code: 100, details: "Invalid parameter: the body is not valid JSON.")
        }
        guard wire.messaging_product == "whatsapp" else {
            throw Invalid(code: 100, details: "The parameter messaging_product is required and must be whatsapp.")
        }
        if wire.status == "read" {
            guard let id = wire.message_id else {
                throw Invalid(code: 131008, details: "The parameter message_id is required.")
            }
            return GraphSend(kind: .markRead(messageID: id, typing: wire.typing_indicator != nil),
                             to: nil, recipient: nil, contextMessageID: nil)
        }
        guard wire.to?.isEmpty == false || wire.recipient?.isEmpty == false else {
            throw Invalid(code: 131008, details: "The parameter to is required.")
        }
        guard let type = wire.type ?? (wire.text != nil ? "text" : nil) else {
            throw Invalid(code: 131008, details: "The parameter type is required.")
        }
        return GraphSend(kind: .message(BotReply(type: type, wire: wire)), to: wire.to, recipient: wire.recipient,
                         contextMessageID: wire.context?.message_id)
    }

    // The subset of Meta's send schema loadgen reads.
    struct Wire: Decodable {
        var messaging_product: String?
        var to: String?
        var recipient: String?
        var type: String?
        var status: String?
        var message_id: String?
        var typing_indicator: Typing?
        var context: Context?
        var text: Text?
        var interactive: Interactive?

        struct Typing: Decodable { var type: String? }
        struct Context: Decodable { var message_id: String? }
        struct Text: Decodable { var body: String? }
        struct Interactive: Decodable {
            var type: String?
            var header: Header?
            var body: Text?
            var footer: Text?
            var action: Action?
            struct Header: Decodable { var text: String? }
            struct Text: Decodable { var text: String? }
            struct Action: Decodable {
                var button: String?
                var buttons: [Button]?
                var sections: [Section]?
            }
            struct Button: Decodable { var reply: Choice? }
            struct Section: Decodable { var title: String?; var rows: [Choice]? }
            struct Choice: Decodable { var id: String?; var title: String?; var description: String? }
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

    init(type: String, wire: GraphSend.Wire) {
        self.type = type
        if let interactive = wire.interactive {
            text = [interactive.header?.text, interactive.body?.text, interactive.footer?.text]
                .compactMap { $0 }.joined(separator: "\n")
            buttons = (interactive.action?.buttons ?? []).compactMap { b in
                b.reply.map { Choice(id: $0.id ?? "", title: $0.title ?? "") }
            }
            rows = (interactive.action?.sections ?? []).flatMap { $0.rows ?? [] }
                .map { Choice(id: $0.id ?? "", title: $0.title ?? "") }
        } else {
            text = wire.text?.body ?? ""
            buttons = []
            rows = []
        }
    }
}
