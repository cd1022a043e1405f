/// Renders the body of a `messages` webhook delivery exactly as Meta does: one entry, one change, one
/// contact and one message, ASCII-escaped and compact, ready to be signed and sent as is.
///
/// ```swift
/// let body = WebhookEnvelope.render(message, from: user, business: .default)
/// let header = signer.signature(for: body)      // sign these bytes, send these bytes
/// ```
public enum WebhookEnvelope {
    /// One message and who sent it, for `render(batch:)`.
    public struct Item: Sendable {
        public var message: InboundMessage
        /// Digits-only phone; nil for a username user (BSUID only).
        public var phone: String?
        public var profileName: String
        public var bsuid: String?
        public init(message: InboundMessage, phone: String?, profileName: String, bsuid: String?) {
            self.message = message
            self.phone = phone
            self.profileName = profileName
            self.bsuid = bsuid
        }

        /// Its sender's bytes (rendered here: a batch is rendered once, not at every message).
        var sender: Sender { Sender(phone: phone, profileName: profileName, bsuid: bsuid) }
    }

    /// One sender's bytes, rendered once: its `contacts[]` entry and its messages' `from` fields, the same
    /// in every delivery from it. The generator renders each user's at its first message, not at every
    /// message: the profile name alone, escaped a UTF-16 unit at a time when it is not ASCII, was a good part
    /// of rendering a delivery.
    public struct Sender: Sendable {
        /// The `contacts[]` entry, then the `from` fields: one array a sender.
        private let bytes: [UInt8]
        private let split: Int

        /// `phone` nil is a username user (BSUID only).
        public init(phone: String?, profileName: String, bsuid: String?) {
            var w = JSONWriter(capacity: 0)
            w.object { w in
                w.field("profile") { w in w.object { w in w.field("name", string: profileName) } }
                if let phone { w.field("wa_id", string: phone) }
                if let bsuid { w.field("user_id", string: bsuid) }
            }
            split = w.bytes.count
            w = JSONWriter(after: w.bytes, capacity: 0, comma: false)  // the fields, outside any object
            if let phone { w.field("from", string: phone) }
            if let bsuid { w.field("from_user_id", string: bsuid) }
            // As long as it is (the writer's grew by doubling): the generator keeps one a user.
            bytes = [UInt8](unsafeUninitializedCapacity: w.bytes.count) { out, count in
                count = w.bytes.withUnsafeBufferPointer { out.initialize(from: $0).1 }
            }
        }

        /// `{"profile":{"name":…},"wa_id":…,"user_id":…}` (what the sender has).
        var contact: ArraySlice<UInt8> { bytes[..<split] }
        /// `"from":…,"from_user_id":…` (what the sender has).
        var from: ArraySlice<UInt8> { bytes[split...] }
    }

    /// Renders one inbound message from an explicit identity; `phone` nil is a username user (BSUID only).
    public static func render(
        _ message: InboundMessage, phone: String?, profileName: String, bsuid: String?, business: BusinessIdentity
    ) -> [UInt8] {
        render(batch: [Item(message: message, phone: phone, profileName: profileName, bsuid: bsuid)], business: business)
    }

    /// Renders several messages in one delivery, as Meta batches them: one change whose `contacts[]` has
    /// each sender once and whose `messages[]` has every message, in order.
    public static func render(batch items: [Item], business: BusinessIdentity) -> [UInt8] {
        wrap(business: business, capacity: 768 * items.count) { w in writeValue(&w, items.map { ($0.message, $0.sender) }) }
    }

    /// Like `render(batch:business:)`, around `frame`'s pre-rendered bytes: the same bytes, with only the
    /// senders and messages written (the generator renders every delivery of a run for one business).
    public static func render(batch items: [Item], frame: Frame) -> [UInt8] {
        frame.render(capacity: 768 * items.count) { w in writeValue(&w, items.map { ($0.message, $0.sender) }) }
    }

    /// One message from `sender` around `frame`, the bytes `render(batch:frame:)` writes for it: only the
    /// message is written (the generator's hot path, with each user's sender rendered once).
    public static func render(_ message: InboundMessage, from sender: Sender, frame: Frame) -> [UInt8] {
        frame.render(capacity: 768) { w in writeValue(&w, CollectionOfOne((message, sender))) }
    }

    /// The bytes every delivery of one business shares, rendered once: everything before the value's
    /// own fields (`object`, the entry, the change, `messaging_product`, `metadata`), and everything after.
    public struct Frame: Sendable {
        private let head: [UInt8]
        private let tail: [UInt8]

        public init(business: BusinessIdentity) {
            var split = 0
            let whole = WebhookEnvelope.wrap(business: business) { w in split = w.bytes.count }
            head = Array(whole[..<split])
            tail = Array(whole[split...])
        }

        /// The head, then what `fields` writes into the value, then the tail.
        func render(capacity: Int, fields: (inout JSONWriter) -> Void) -> [UInt8] {
            var w = JSONWriter(after: head, capacity: capacity)
            fields(&w)
            w.appendRaw(tail)
            return w.bytes
        }
    }

    /// The value's `contacts[]` (each sender once; not a changed number's: a system message comes without
    /// its sender) and `messages[]`. Nothing allocated beyond the bytes for a delivery of one message.
    private static func writeValue(_ w: inout JSONWriter, _ messages: some Collection<(InboundMessage, Sender)>) {
        if messages.contains(where: { !$0.0.content.isChangedNumber }) {
            w.field("contacts") { w in
                w.array { w in
                    var seen: [ArraySlice<UInt8>] = []  // a batch has a few senders: a short list, not a set
                    for (message, sender) in messages where !message.content.isChangedNumber {
                        guard !seen.contains(sender.from) else { continue }
                        if messages.count > 1 { seen.append(sender.from) }
                        w.appendRendered(sender.contact)
                    }
                }
            }
        }
        w.field("messages") { w in
            w.array { w in for (message, sender) in messages { writeMessage(&w, message, from: sender) } }
        }
    }

    /// The envelope every `messages`-field delivery shares — `object`, one entry (the WABA), one change
    /// with `messaging_product` and `metadata` — around the value's own fields (`contacts` and `messages`,
    /// or `statuses`).
    static func wrap(business: BusinessIdentity, capacity: Int = 768, value fields: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.object { w in
            w.field("object", string: "whatsapp_business_account")
            w.field("entry") { w in
                w.array { w in
                    w.object { w in
                        w.field("id", string: business.wabaID)
                        w.field("changes") { w in
                            w.array { w in
                                w.object { w in
                                    w.field("value") { w in
                                        w.object { w in
                                            w.field("messaging_product", string: "whatsapp")
                                            w.field("metadata") { w in
                                                w.object { w in
                                                    w.field("display_phone_number", string: business.displayPhoneNumber)
                                                    w.field("phone_number_id", string: business.phoneNumberID)
                                                }
                                            }
                                            fields(&w)
                                        }
                                    }
                                    w.field("field", string: "messages")
                                }
                            }
                        }
                    }
                }
            }
        }
        return w.bytes
    }

    private static func writeMessage(_ w: inout JSONWriter, _ message: InboundMessage, from sender: Sender) {
        w.object { w in
            if let context = message.context {
                w.field("context") { w in
                    w.object { w in
                        w.field("from", string: context.from)
                        w.field("id", string: context.id)
                    }
                }
            }
            w.appendRendered(sender.from)
            w.field("id", string: message.id)
            w.field("timestamp") { $0.string(digitsOf: message.timestamp) }
            if case .unsupported = message.content { writeUnsupportedErrors(&w) }
            w.field("type", string: message.content.typeName)
            writeContent(&w, message.content)
            if let referral = message.referral { writeReferral(&w, referral) }
        }
    }

    static func writeContent(_ w: inout JSONWriter, _ content: InboundMessage.Content) {
        switch content {
        case .text(let body):
            w.field("text") { w in w.object { w in w.field("body", string: body) } }
        case .buttonReply(let id, let title):
            w.field("interactive") { w in writeReply(&w, kind: "button_reply", id: id, title: title, description: nil) }
        case .listReply(let id, let title, let description):
            w.field("interactive") { w in writeReply(&w, kind: "list_reply", id: id, title: title, description: description) }
        case .location(let latitude, let longitude, let name, let address):
            w.field("location") { w in
                w.object { w in
                    if let address { w.field("address", string: address) }
                    w.field("latitude") { $0.rawNumber(String(latitude)) }
                    w.field("longitude") { $0.rawNumber(String(longitude)) }
                    if let name { w.field("name", string: name) }
                }
            }
        case .image(let media, let caption):
            w.field("image") { w in writeMedia(&w, media) { w in if let caption { w.field("caption", string: caption) } } }
        case .audio(let media, let voice):
            w.field("audio") { w in writeMedia(&w, media) { w in w.field("voice") { $0.bool(voice) } } }
        case .document(let media, let filename, let caption):
            w.field("document") { w in
                writeMedia(&w, media) { w in
                    if let caption { w.field("caption", string: caption) }
                    w.field("filename", string: filename)
                }
            }
        case .sticker(let media, let animated):
            w.field("sticker") { w in writeMedia(&w, media) { w in w.field("animated") { $0.bool(animated) } } }
        case .video(let media, let caption):
            w.field("video") { w in writeMedia(&w, media) { w in if let caption { w.field("caption", string: caption) } } }
        case .contact, .order, .flowReply, .changedNumber:
            writeSharedContent(&w, content)
        case .revoke, .edit:
            writeChange(&w, content)
        case .reaction(let messageID, let emoji):
            w.field("reaction") { w in
                w.object { w in
                    w.field("message_id", string: messageID)
                    if let emoji { w.field("emoji", string: emoji) }
                }
            }
        case .unsupported(let kind):
            w.field("unsupported") { w in w.object { w in w.field("type", string: kind) } }
        }
    }

    /// A tap on a reply button or a list row: `interactive.button_reply` / `interactive.list_reply`.
    private static func writeReply(_ w: inout JSONWriter, kind: String, id: String, title: String, description: String?) {
        w.object { w in
            w.field("type", string: kind)
            w.field(kind) { w in
                w.object { w in
                    w.field("id", string: id)
                    w.field("title", string: title)
                    if let description { w.field("description", string: description) }
                }
            }
        }
    }

    private static func writeMedia(_ w: inout JSONWriter, _ media: InboundMessage.Media, extra: (inout JSONWriter) -> Void) {
        w.object { w in
            extra(&w)
            w.field("mime_type", string: media.mimeType)
            w.field("sha256", string: media.sha256)
            w.field("id", string: media.id)
            w.field("url", string: "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=" + media.id)
        }
    }

    private static func writeUnsupportedErrors(_ w: inout JSONWriter) {
        w.field("errors") { w in
            w.array { w in
                w.object { w in
                    w.field("code") { $0.rawNumber("131051") }
                    w.field("title", string: "Message type unknown")
                    w.field("message", string: "Message type unknown")
                    w.field("error_data") { w in w.object { w in w.field("details", string: "Message type is currently not supported.") } }
                }
            }
        }
    }
}
