import Wire

/// The parts of a webhook delivery the bot reads (`entry[].changes[].value`), read as `JSONDecoder` would
/// read optional fields (see `JSONValue.string(_:)`), without its cost.
struct InboundPayload {
    var object: String?
    var entry: [Entry]?

    /// The delivery in `body`; nil when it is not JSON or a field has the wrong type (400 `bad_json`).
    init?(body: [UInt8]) {
        guard let root = try? JSONValue.parse(body), case .object = root, let payload = try? Self(root) else { return nil }
        self = payload
    }

    private init(_ j: JSONValue) throws(JSONValue.Mismatch) {
        object = try j.string("object")
        entry = try j.objects("entry", Entry.init)
    }

    struct Entry {
        var id: String?
        var changes: [Change]?
        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            id = try j.string("id")
            changes = try j.objects("changes", Change.init)
        }
    }
    struct Change {
        var field: String?
        var value: Value?
        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            field = try j.string("field")
            value = try j.object("value").map(Value.init)
        }
    }
    struct Value {
        var metadata: Metadata?
        var contacts: [Contact]?
        var messages: [Message]?
        var statuses: [Status]?
        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            metadata = try j.object("metadata").map(Metadata.init)
            contacts = try j.objects("contacts", Contact.init)
            messages = try j.objects("messages", Message.init)
            statuses = try j.objects("statuses", Status.init)
        }
    }
    struct Metadata {
        var phone_number_id: String?
        var display_phone_number: String?
        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            phone_number_id = try j.string("phone_number_id")
            display_phone_number = try j.string("display_phone_number")
        }
    }
    struct Contact {
        var wa_id: String?
        var user_id: String?
        var profileName: String?
        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            wa_id = try j.string("wa_id")
            user_id = try j.string("user_id")
            profileName = try j.object("profile")?.string("name")
        }
    }
    struct Status {
        var id: String?
        var status: String?
        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            id = try j.string("id")
            status = try j.string("status")
        }
    }
    struct Message {
        var id: String?
        var from: String?
        var from_user_id: String?
        var timestamp: String?
        var type: String?
        var textBody: String?
        /// A tapped reply button or list row (`interactive.button_reply` / `list_reply`), id and title.
        var choice: (id: String?, title: String?)?
        /// A template's quick-reply button (`button.payload`, `button.text`).
        var button: (payload: String?, text: String?)?
        var location: (latitude: Double?, longitude: Double?)?
        /// The user's earlier message a revoke deletes or an edit changes (`original_message_id`).
        var originalID: String?
        /// An edit's new words: the edited text's body, or the edited media's caption.
        var editedBody: String?

        init(_ j: JSONValue) throws(JSONValue.Mismatch) {
            id = try j.string("id")
            from = try j.string("from")
            from_user_id = try j.string("from_user_id")
            timestamp = try j.string("timestamp")
            type = try j.string("type")
            textBody = try j.object("text")?.string("body")
            if let interactive = try j.object("interactive") {
                _ = try interactive.string("type")
                let button = try interactive.object("button_reply"), list = try interactive.object("list_reply")
                if let reply = button ?? list {
                    choice = (try reply.string("id"), try reply.string("title"))
                }
            }
            if let b = try j.object("button") { button = (try b.string("payload"), try b.string("text")) }
            if let l = try j.object("location") {
                _ = try l.string("name")
                location = (try l.number("latitude"), try l.number("longitude"))
            }
            if let revoke = try j.object("revoke") { originalID = try revoke.string("original_message_id") }
            if let edit = try j.object("edit") {
                originalID = try edit.string("original_message_id")
                if let edited = try edit.object("message"), let type = try edited.string("type") {
                    editedBody = try type == "text" ? edited.object("text")?.string("body") : edited.object(type)?.string("caption")
                }
            }
        }
    }

    /// Every message of every change, with the change's metadata and the sender's profile name.
    var messages: [(metadata: Metadata?, contact: Contact?, message: Message)] {
        (entry ?? []).flatMap { entry in
            (entry.changes ?? []).flatMap { change -> [(Metadata?, Contact?, Message)] in
                guard let value = change.value else { return [] }
                return (value.messages ?? []).map { m in
                    (value.metadata, value.contacts?.first { $0.wa_id == m.from || $0.user_id == m.from_user_id }, m)
                }
            }
        }
    }
}

/// One user message, as the bot's logic sees it.
struct UserMessage: Sendable {
    /// Digits-only phone, if Meta sent one.
    var phone: String?
    /// The BSUID (always present since April 2026; username users may have only this).
    var bsuid: String?
    var name: String
    var wamid: String
    var content: Content

    enum Content: Sendable {
        case text(String)
        case choice(id: String, title: String)
        case location(latitude: Double, longitude: Double)
        case unsupported(String)
        /// The user deleted the message with this id (`type: revoke`): nothing to read, something to acknowledge.
        case revoked(originalID: String)
    }

    /// The key the bot keeps state under: phone when present, else BSUID.
    var userKey: String { phone ?? bsuid ?? "unknown" }
}

extension UserMessage {
    /// The message in Meta's delivery, or nil when it has no id or no sender.
    init?(_ m: InboundPayload.Message, contact: InboundPayload.Contact?) {
        guard let id = m.id, m.from != nil || m.from_user_id != nil else { return nil }
        phone = m.from
        bsuid = m.from_user_id ?? contact?.user_id
        name = contact?.profileName ?? "there"
        wamid = id
        switch m.type {
        case "text": content = .text(m.textBody ?? "")
        case "interactive": content = .choice(id: m.choice?.id ?? "", title: m.choice?.title ?? "")
        case "button": content = .choice(id: m.button?.payload ?? "", title: m.button?.text ?? "")
        case "location":
            if let lat = m.location?.latitude, let lon = m.location?.longitude {
                content = .location(latitude: lat, longitude: lon)
            } else { content = .unsupported("location") }
        case "revoke": content = .revoked(originalID: m.originalID ?? "")
        // An edit is answered as its new words would be: the user corrected what they asked.
        case "edit": content = m.editedBody.map { .text($0) } ?? .unsupported("edit")
        default: content = .unsupported(m.type ?? "unknown")
        }
    }
}
