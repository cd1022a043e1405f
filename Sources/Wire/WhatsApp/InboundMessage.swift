/// What a simulated user sends: the `messages[]` item of a webhook delivery, before serialisation.
public struct InboundMessage: Sendable, Hashable {
    /// The `wamid.` id; the bot's dedup key.
    public var id: String
    /// Unix seconds when the user sent it (Meta sends it as a string).
    public var timestamp: Int64
    /// What the message carries.
    public var content: Content
    /// The business message this one answers (a button tap or list pick quotes the message that offered it).
    public var context: Context?
    /// The Click-to-WhatsApp ad (or post) the user tapped to write this message, on its first message.
    public var referral: Referral?

    /// Creates a message.
    public init(id: String, timestamp: Int64, content: Content, context: Context? = nil, referral: Referral? = nil) {
        self.id = id
        self.timestamp = timestamp
        self.content = content
        self.context = context
        self.referral = referral
    }

    /// `messages[].referral`: the ad a conversation started from (`source_type: ad`), with its click id.
    public struct Referral: Sendable, Hashable {
        public var sourceID: String
        public var headline: String
        public var body: String
        public var clickID: String
        public init(sourceID: String, headline: String, body: String, clickID: String) {
            self.sourceID = sourceID
            self.headline = headline
            self.body = body
            self.clickID = clickID
        }
    }

    /// The quoted business message: `context.from` (business number) and `context.id` (its wamid).
    public struct Context: Sendable, Hashable {
        public var from: String
        public var id: String
        public init(from: String, id: String) { self.from = from; self.id = id }
    }

    /// The message types loadgen sends.
    public enum Content: Sendable, Hashable {
        /// `type: text`.
        case text(String)
        /// `type: interactive`, `interactive.type: button_reply`: the user tapped a reply button.
        case buttonReply(id: String, title: String)
        /// `type: interactive`, `interactive.type: list_reply`: the user picked a list row.
        case listReply(id: String, title: String, description: String?)
        /// `type: location`; coordinates are JSON numbers, name and address optional.
        case location(latitude: Double, longitude: Double, name: String?, address: String?)
        /// `type: image`: a media id, mime type, base64 sha256, optional caption.
        case image(Media, caption: String?)
        /// `type: audio`; `voice: true` for a voice note recorded in WhatsApp.
        case audio(Media, voice: Bool)
        /// `type: document` with its file name.
        case document(Media, filename: String, caption: String?)
        /// `type: sticker`.
        case sticker(Media, animated: Bool)
        /// `type: video`: the same media node as an image, optional caption.
        case video(Media, caption: String?)
        /// `type: contacts`: a shared contact card (its formatted name and one phone number, with the
        /// `wa_id` when the number is on WhatsApp).
        case contact(name: String, phone: String, waID: String?)
        /// `type: order`: a cart sent from the business's catalog.
        case order(catalogID: String, items: [CartItem], text: String?)
        /// `type: interactive`, `interactive.type: nfm_reply`: the user completed a WhatsApp Flow; its
        /// answers are a JSON object serialised in `response_json` (with the flow's `flow_token`).
        case flowReply(responseJSON: String, body: String)
        /// `type: system`, `system.type: user_changed_number`: the user moved to a new number. Meta sends it
        /// from the old number and without `contacts[]`.
        case changedNumber(body: String, newWaID: String)
        /// `type: reaction` to a business message; nil emoji = reaction removed (no `emoji` key).
        case reaction(messageID: String, emoji: String?)
        /// `type: unsupported` with Meta's 131051 error, e.g. a poll or an edit.
        case unsupported(kind: String)
        /// `type: revoke`: the user deleted a message they had sent (`revoke.original_message_id`). Meta sends
        /// it only for WhatsApp Business app numbers on the Cloud API ("Coexistence").
        case revoke(originalID: String)
        /// `type: edit`: the user changed a message they had sent; `message` is that message as it now reads
        /// (a text, or a photo with its new caption) and `contextID` its `context.id`, which Meta calls a
        /// "contextual message ID" (its sample: `M0`). Coexistence numbers only, and Meta's page of
        /// 2026-06-11 says edits come as `unsupported` (`.unsupported(kind: "edit")`) for now.
        indirect case edit(originalID: String, contextID: String, message: Content)

        /// Whether Meta's notice of a changed number (a system message, delivered without its sender).
        var isChangedNumber: Bool { if case .changedNumber = self { true } else { false } }

        /// The `messages[].type` value.
        public var typeName: String {
            switch self {
            case .text: "text"
            case .buttonReply, .listReply, .flowReply: "interactive"
            case .location: "location"
            case .image: "image"
            case .audio: "audio"
            case .document: "document"
            case .sticker: "sticker"
            case .video: "video"
            case .contact: "contacts"
            case .order: "order"
            case .changedNumber: "system"
            case .reaction: "reaction"
            case .unsupported: "unsupported"
            case .revoke: "revoke"
            case .edit: "edit"
            }
        }
    }

    /// One line of an order: the catalog's product id, how many, the unit price and its currency.
    public struct CartItem: Sendable, Hashable {
        public var productID: String
        public var quantity: Int
        public var price: Double
        public var currency: String
        public init(productID: String, quantity: Int, price: Double, currency: String) {
            self.productID = productID
            self.quantity = quantity
            self.price = price
            self.currency = currency
        }
    }

    /// A media node as Meta sends it: digits-only id, mime type, base64 sha256.
    public struct Media: Sendable, Hashable {
        public var id: String
        public var mimeType: String
        public var sha256: String

        public init(id: String, mimeType: String, sha256: String) {
            self.id = id
            self.mimeType = mimeType
            self.sha256 = sha256
        }

        /// A plausible media node derived from `seed` (the same seed gives the same node).
        /// Its bytes are `MediaBytes.content(ofID:)`: the stand-in Graph API serves them, and `sha256` is theirs.
        public static func make(seed: UInt64, mimeType: String) -> Media {
            let id = MediaBytes.id(seed: seed, mimeType: mimeType)
            return Media(id: id, mimeType: mimeType, sha256: MediaBytes.sha256(MediaBytes.content(ofID: id)))
        }
    }
}

/// The business side of a delivery: who the simulated users are writing to.
public struct BusinessIdentity: Sendable, Hashable, Codable {
    /// WhatsApp Business Account id: `entry[].id`.
    public var wabaID: String
    /// The id the bot must use in `POST /{phone-number-id}/messages`: `metadata.phone_number_id`.
    public var phoneNumberID: String
    /// The business number, digits only: `metadata.display_phone_number`.
    public var displayPhoneNumber: String

    /// Creates an identity.
    public init(wabaID: String, phoneNumberID: String, displayPhoneNumber: String) {
        self.wabaID = wabaID
        self.phoneNumberID = phoneNumberID
        self.displayPhoneNumber = displayPhoneNumber
    }

    /// The defaults of `--waba-id`, `--phone-number-id`, `--display-phone-number` (Meta's documentation samples).
    public static let `default` = BusinessIdentity(
        wabaID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881")
}
