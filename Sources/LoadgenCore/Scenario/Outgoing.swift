/// What a user sends: every inbound type loadgen can deliver.
public enum Outgoing: Sendable, Hashable {
    /// A text message, one of the given bodies at random.
    case text(oneOf: [String])
    /// Taps a reply button (a fixed one; `choose` taps one the bot offered).
    case buttonReply(id: String, title: String)
    /// Picks a list row (a fixed one; `choose` picks one the bot offered).
    case listReply(id: String, title: String)
    /// Shares a location.
    case location(latitude: Double, longitude: Double, name: String?)
    /// Sends a photo.
    case image(caption: String?)
    /// Sends a voice note (`voice: true`) or an audio file.
    case audio(voice: Bool)
    /// Sends a document.
    case document(filename: String, caption: String?)
    /// Sends a sticker.
    case sticker(animated: Bool)
    /// Sends a video.
    case video(caption: String?)
    /// Shares a contact card: a name and a phone number (E.164 with `+`).
    case contact(name: String, phone: String)
    /// Sends a cart from the business's catalog.
    case order(catalogID: String, items: [CartItem], text: String?)
    /// Meta's notice that the user moved to a new number (`type: system`, no `contacts[]`).
    case changedNumber
    /// Completes a WhatsApp Flow the bot sent: its answers, by field name (`interactive.nfm_reply`).
    case flowReply(answers: [String: String])
    /// A text written after tapping a Click-to-WhatsApp ad: it carries the ad's `referral`.
    case adClick(text: String, headline: String)
    /// Reacts to the bot's last message; nil removes the reaction.
    case reaction(emoji: String?)
    /// A message type the Cloud API does not support (`type: unsupported`), e.g. a poll or an edit.
    case unsupported(kind: String)
    /// Deletes the user's previous message in the journey (`type: revoke`).
    case revoke
    /// Edits the user's previous message in the journey (`type: edit`): a text that now reads `text`, or
    /// with `caption: true` a photo whose caption now reads `text`.
    case edit(text: String, caption: Bool)
    /// Taps a button or picks a row that the bot actually offered in its last reply.
    case choose(Choice)
    /// Several text messages sent back to back before any reply; the bot owes one answer each. With
    /// `--reorder`, Meta may deliver them out of order.
    case burst([String])
    /// A payload template from `payloads/` (or `--payloads DIR`), its own placeholders filled from `values`.
    case template(name: String, values: [String: PayloadTemplate.Value])

    /// A revoke or an edit: a change to the user's previous message rather than a message of its own, so
    /// the next revoke or edit is about the same earlier message.
    public var changesPreviousMessage: Bool {
        switch self {
        case .revoke, .edit: true
        default: false
        }
    }

    /// Short text for step labels in reports: `text "I need vegetables…"`, `choose row 1`.
    public var summary: String {
        switch self {
        case .text(let bodies):
            let first = bodies.first ?? ""
            let shown = first.count > 28 ? String(first.prefix(27)) + "…" : first
            return bodies.count > 1 ? "text (1 of \(bodies.count))" : "text \"\(shown)\""
        case .buttonReply(let id, _): return "button \(id)"
        case .listReply(let id, _): return "row \(id)"
        case .location: return "location"
        case .image: return "image"
        case .audio(let voice): return voice ? "voice note" : "audio"
        case .document: return "document"
        case .sticker: return "sticker"
        case .video: return "video"
        case .contact: return "contact"
        case .order(_, let items, _): return "order of \(items.count)"
        case .changedNumber: return "changed number"
        case .flowReply: return "flow reply"
        case .adClick: return "ad click"
        case .reaction(let emoji): return emoji == nil ? "reaction removed" : "reaction"
        case .unsupported(let kind): return "unsupported \(kind)"
        case .revoke: return "revoke"
        case .edit(_, let caption): return caption ? "edit caption" : "edit"
        case .choose(let choice): return "choose \(choice)"
        case .template(let name, _): return "template \(name)"
        case .burst(let texts): return "burst of \(texts.count)"
        }
    }
}

/// One line of an order: `CartItem(productID: "tomatoes-1kg", quantity: 2, price: 1500, currency: "RWF")`.
public typealias CartItem = InboundMessage.CartItem

/// Which offered option to take.
public enum Choice: Sendable, Hashable, CustomStringConvertible {
    /// The n-th button (0-based).
    case button(at: Int)
    /// The button with this id.
    case buttonID(String)
    /// The button whose title contains this text (case-insensitive).
    case buttonTitled(String)
    /// The n-th list row (0-based, across sections).
    case row(at: Int)
    /// The row with this id.
    case rowID(String)
    /// Any offered button or row, at random (seeded).
    case any

    public var description: String {
        switch self {
        case .button(let i): "button \(i)"
        case .buttonID(let id): "button \(id)"
        case .buttonTitled(let t): "button \"\(t)\""
        case .row(let i): "row \(i)"
        case .rowID(let id): "row \(id)"
        case .any: "any option"
        }
    }

    /// The option to take from `reply`, as (kind, id, title); nil when the reply offers no such option.
    public func pick(from reply: BotReply, random: inout SeededRandom) -> (isButton: Bool, BotReply.Choice)? {
        func at(_ list: [BotReply.Choice], _ i: Int) -> BotReply.Choice? { list.indices.contains(i) ? list[i] : nil }
        switch self {
        case .button(let i): return at(reply.buttons, i).map { (true, $0) }
        case .buttonID(let id): return reply.buttons.first { $0.id == id }.map { (true, $0) }
        case .buttonTitled(let t): return reply.buttons.first { $0.title.lowercased().contains(t.lowercased()) }.map { (true, $0) }
        case .row(let i): return at(reply.rows, i).map { (false, $0) }
        case .rowID(let id): return reply.rows.first { $0.id == id }.map { (false, $0) }
        case .any:
            let all = reply.buttons.map { (true, $0) } + reply.rows.map { (false, $0) }
            return all.isEmpty ? nil : all[Int(random.next() % UInt64(all.count))]
        }
    }
}
