/// Renders a status webhook (`value.statuses[]`, no `contacts`) for a message the bot sent, as Meta
/// documents it (reference §2.4): id, status, timestamp, recipient_id, then — on `sent` and one of
/// `delivered`/`read` — the conversation and the pricing, and on `failed` the errors.
public enum StatusEnvelope {
    /// A status in the minimal v24+ form: id, status, timestamp, recipient_id.
    public static func render(
        wamid: String, status: String, recipient: String, timestamp: Int64, business: BusinessIdentity
    ) -> [UInt8] {
        render(MessageStatus(wamid: wamid, status: status, recipient: recipient, timestamp: timestamp), business: business)
    }

    /// A status of the bot's message, with what it carries.
    public static func render(_ status: MessageStatus, business: BusinessIdentity) -> [UInt8] {
        WebhookEnvelope.wrap(business: business, capacity: 768) { w in writeValue(&w, status) }
    }

    /// Like `render(_:business:)`, around `frame`'s pre-rendered bytes: the same bytes.
    public static func render(_ status: MessageStatus, frame: WebhookEnvelope.Frame) -> [UInt8] {
        frame.render(capacity: 768) { w in writeValue(&w, status) }
    }

    private static func writeValue(_ w: inout JSONWriter, _ status: MessageStatus) {
        if let contact = status.contact {
            w.field("contacts") { w in
                w.array { w in
                    w.object { w in
                        if let waID = contact.waID { w.field("wa_id", string: waID) }
                        w.field("user_id", string: contact.userID)
                    }
                }
            }
        }
        w.field("statuses") { w in
            w.array { w in
                w.object { w in
                    w.field("id", string: status.wamid)
                    w.field("status", string: status.status)
                    w.field("timestamp") { $0.string(digitsOf: status.timestamp) }
                    w.field("recipient_id", string: status.recipient)
                    if let userID = status.recipientUserID { w.field("recipient_user_id", string: userID) }
                    if let conversation = status.conversation { write(conversation, to: &w) }
                    if let pricing = status.pricing { write(pricing, to: &w) }
                    if !status.errors.isEmpty {
                        w.field("errors") { w in w.array { w in for error in status.errors { write(error, to: &w) } } }
                    }
                }
            }
        }
    }

    private static func write(_ c: MessageStatus.Conversation, to w: inout JSONWriter) {
        w.field("conversation") { w in
            w.object { w in
                w.field("id", string: c.id)
                if let expires = c.expiresAt { w.field("expiration_timestamp", string: String(expires)) }
                w.field("origin") { w in w.object { w in w.field("type", string: c.origin) } }
            }
        }
    }

    private static func write(_ p: MessagePricing, to w: inout JSONWriter) {
        w.field("pricing") { w in
            w.object { w in
                w.field("billable") { $0.bool(p.billable) }
                w.field("pricing_model", string: "PMP")
                w.field("type", string: p.type)
                w.field("category", string: p.category)
            }
        }
    }

    private static func write(_ e: GraphError, to w: inout JSONWriter) {
        w.object { w in
            w.field("code") { $0.rawNumber(String(e.code)) }
            w.field("title", string: e.title)
            w.field("message", string: e.title)  // Meta: "the same as the title property value"
            w.field("error_data") { w in w.object { w in w.field("details", string: e.details) } }
            w.field("href", string: GraphError.href)
        }
    }
}

/// One entry of a status webhook's `statuses[]`.
public struct MessageStatus: Sendable, Hashable {
    public var wamid: String
    /// `sent`, `delivered`, `read`, `failed`.
    public var status: String
    public var recipient: String
    public var timestamp: Int64
    public var conversation: Conversation?
    public var pricing: MessagePricing?
    /// Why a `failed` message failed.
    public var errors: [GraphError]
    /// The user, in the value's `contacts[]` beside the status: Meta names them there on `sent`,
    /// `delivered` and `read` statuses since the BSUID rollout (April 2026), not on `failed` ones.
    public var contact: Contact?
    /// `recipient_user_id`, the user's BSUID: on every status since the rollout, except a `failed` one
    /// of a message sent to a phone number.
    public var recipientUserID: String?

    public init(
        wamid: String, status: String, recipient: String, timestamp: Int64, conversation: Conversation? = nil, pricing: MessagePricing? = nil,
        errors: [GraphError] = [], contact: Contact? = nil, recipientUserID: String? = nil
    ) {
        self.wamid = wamid
        self.status = status
        self.recipient = recipient
        self.timestamp = timestamp
        self.conversation = conversation
        self.pricing = pricing
        self.errors = errors
        self.contact = contact
        self.recipientUserID = recipientUserID
    }

    /// `contacts[]` of a status webhook: `wa_id` when the message went to a phone number (or the number is
    /// known), `user_id` (the BSUID) always.
    public struct Contact: Sendable, Hashable {
        public var waID: String?
        public var userID: String
        public init(waID: String?, userID: String) {
            self.waID = waID
            self.userID = userID
        }
    }

    /// The conversation a message belongs to: its id, when it expires (on `sent` only), how it began.
    public struct Conversation: Sendable, Hashable {
        public var id: String
        public var expiresAt: Int64?
        /// `service`, `utility`, `marketing`, `authentication`…
        public var origin: String
        public init(id: String, expiresAt: Int64?, origin: String) {
            self.id = id
            self.expiresAt = expiresAt
            self.origin = origin
        }
    }
}

/// What Meta bills a message as (per-message pricing, `PMP`): a free reply in the customer-service
/// window, or a template of its category.
public struct MessagePricing: Sendable, Hashable {
    public var billable: Bool
    /// `regular`, `free_customer_service`, `free_entry_point`.
    public var type: String
    /// `service`, `utility`, `marketing`, `authentication`…
    public var category: String

    public init(billable: Bool, type: String, category: String) {
        self.billable = billable
        self.type = type
        self.category = category
    }

    /// A free-form reply inside the 24-hour window: free (reference §2.4).
    public static let service = MessagePricing(billable: false, type: "free_customer_service", category: "service")

    /// A template send, billed as its category (lowercase, as statuses carry it).
    public static func template(category: String) -> MessagePricing {
        MessagePricing(billable: true, type: "regular", category: category.lowercased())
    }
}
