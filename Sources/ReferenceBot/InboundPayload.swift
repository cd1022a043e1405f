import Wire
import Foundation

/// The parts of a webhook delivery the bot reads (`entry[].changes[].value`).
struct InboundPayload: Decodable {
    var object: String?
    var entry: [Entry]?

    struct Entry: Decodable {
        var id: String?
        var changes: [Change]?
    }
    struct Change: Decodable {
        var field: String?
        var value: Value?
    }
    struct Value: Decodable {
        var metadata: Metadata?
        var contacts: [Contact]?
        var messages: [Message]?
        var statuses: [Status]?
    }
    struct Metadata: Decodable {
        var phone_number_id: String?
        var display_phone_number: String?
    }
    struct Contact: Decodable {
        var wa_id: String?
        var user_id: String?
        var profile: Profile?
        struct Profile: Decodable { var name: String? }
    }
    struct Status: Decodable {
        var id: String?
        var status: String?
    }
    struct Message: Decodable {
        var id: String?
        var from: String?
        var from_user_id: String?
        var timestamp: String?
        var type: String?
        var text: Text?
        var interactive: Interactive?
        var button: Button?
        var location: Location?

        struct Text: Decodable { var body: String? }
        struct Button: Decodable { var payload: String?; var text: String? }
        struct Interactive: Decodable {
            var type: String?
            var button_reply: Choice?
            var list_reply: Choice?
            struct Choice: Decodable { var id: String?; var title: String? }
        }
        struct Location: Decodable {
            var latitude: Double?
            var longitude: Double?
            var name: String?
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
        name = contact?.profile?.name ?? "there"
        wamid = id
        switch m.type {
        case "text": content = .text(m.text?.body ?? "")
        case "interactive":
            let choice = m.interactive?.button_reply ?? m.interactive?.list_reply
            content = .choice(id: choice?.id ?? "", title: choice?.title ?? "")
        case "button": content = .choice(id: m.button?.payload ?? "", title: m.button?.text ?? "")
        case "location":
            if let lat = m.location?.latitude, let lon = m.location?.longitude {
                content = .location(latitude: lat, longitude: lon)
            } else { content = .unsupported("location") }
        default: content = .unsupported(m.type ?? "unknown")
        }
    }
}
