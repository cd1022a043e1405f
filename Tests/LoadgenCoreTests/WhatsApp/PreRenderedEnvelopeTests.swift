import LoadgenCore
import Testing

/// The generator renders each delivery around a pre-rendered frame (`WebhookEnvelope.Frame`: the bytes
/// every delivery to one business shares, rendered once). Those bytes are signed and sent as they are,
/// so they must equal the full renderer's, byte for byte: for every message type, every kind of sender,
/// quoted and ad-referred messages, batches, and the status webhooks.
@Suite struct PreRenderedEnvelopeTests {
    static let media = InboundMessage.Media(id: "1003383421387256", mimeType: "image/jpeg", sha256: "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=")

    /// One of each message type (and the optional parts each may carry or not).
    static let contents: [InboundMessage.Content] = [
        .text("Muraho 🥬 \"quoted\" \\ back\nslash"), .text(""),
        .buttonReply(id: "pay_wallet", title: "💳 Wallet"),
        .listReply(id: "svc_rides", title: "🚖 Rides", description: "Moto"), .listReply(id: "x", title: "X", description: nil),
        .location(latitude: -1.9441, longitude: 30.0619, name: "Kigali Heights", address: "KG 7 Ave"),
        .location(latitude: 0, longitude: 0, name: nil, address: nil),
        .image(media, caption: "fresh"), .image(media, caption: nil),
        .audio(media, voice: true), .audio(media, voice: false),
        .document(media, filename: "invoice.pdf", caption: "March"), .document(media, filename: "a.pdf", caption: nil),
        .sticker(media, animated: true), .video(media, caption: "ride"), .video(media, caption: nil),
        .contact(name: "Aline", phone: "+250 788 000 111", waID: "250788000111"), .contact(name: "Bo", phone: "+1 555", waID: nil),
        .order(catalogID: "cat-1", items: [CartItem(productID: "tomatoes-1kg", quantity: 2, price: 1500, currency: "RWF"),
                                           CartItem(productID: "avocado", quantity: 1, price: 2.5, currency: "USD")], text: "asap"),
        .order(catalogID: "cat-2", items: [], text: nil),
        .flowReply(responseJSON: #"{"flow_token":"t","date":"2026-12-06"}"#, body: "Sent"),
        .changedNumber(body: "User changed number", newWaID: "250788999000"),
        .reaction(messageID: "wamid.R", emoji: "👍"), .reaction(messageID: "wamid.R", emoji: nil),
        .unsupported(kind: "poll"),
        .revoke(originalID: "wamid.ORIGINAL"),
        .edit(originalID: "wamid.ORIGINAL", contextID: "wamid.CTX", message: .text("fixed")),
        .edit(originalID: "wamid.ORIGINAL", contextID: "wamid.CTX", message: .image(media, caption: "better")),
    ]

    /// Which case a content is: a new case does not compile here until the list above has one.
    static func kind(_ content: InboundMessage.Content) -> String {
        switch content {
        case .text: "text"
        case .buttonReply: "buttonReply"
        case .listReply: "listReply"
        case .location: "location"
        case .image: "image"
        case .audio: "audio"
        case .document: "document"
        case .sticker: "sticker"
        case .video: "video"
        case .contact: "contact"
        case .order: "order"
        case .flowReply: "flowReply"
        case .changedNumber: "changedNumber"
        case .reaction: "reaction"
        case .unsupported: "unsupported"
        case .revoke: "revoke"
        case .edit: "edit"
        }
    }

    static let businesses = [BusinessIdentity.default, BusinessIdentity(wabaID: "9", phoneNumberID: "1", displayPhoneNumber: "15550001111")]

    /// Senders: phone and BSUID (Meta since April 2026), phone only, BSUID only (a username user).
    static func items(_ message: InboundMessage) -> [WebhookEnvelope.Item] {
        let user = SimulatedUser(index: 3, seed: 8)
        return [
            .init(message: message, phone: user.phone, profileName: user.profileName, bsuid: user.bsuid),
            .init(message: message, phone: user.phone, profileName: "José \"Pepe\" Müller", bsuid: nil),
            .init(message: message, phone: nil, profileName: user.profileName, bsuid: user.bsuid),
        ]
    }

    @Test func everyMessageTypeIsTheFullRenderersBytes() {
        #expect(Set(Self.contents.map(Self.kind)).count == 17)  // every case of InboundMessage.Content
        for business in Self.businesses {
            let frame = WebhookEnvelope.Frame(business: business)
            for (n, content) in Self.contents.enumerated() {
                let context = InboundMessage.Context(from: business.displayPhoneNumber, id: "wamid.CTX")
                let referral = InboundMessage.Referral(sourceID: "120200000123456", headline: "Flats", body: "Tap", clickID: "ARAxyz")
                for message in [InboundMessage(id: "wamid.\(n)", timestamp: 1_750_000_000 + Int64(n), content: content),
                                InboundMessage(id: "wamid.q\(n)", timestamp: 1_750_000_000, content: content, context: context, referral: referral)] {
                    for item in Self.items(message) {
                        let full = WebhookEnvelope.render(batch: [item], business: business)
                        #expect(WebhookEnvelope.render(batch: [item], frame: frame) == full, "\(Self.kind(content)) #\(n)")
                        let sender = WebhookEnvelope.Sender(phone: item.phone, profileName: item.profileName, bsuid: item.bsuid)
                        #expect(WebhookEnvelope.render(message, from: sender, frame: frame) == full, "one: \(Self.kind(content)) #\(n)")
                    }
                }
            }
        }
    }

    /// Meta's batches: several senders, one sender twice (once in contacts), a changed number (none).
    @Test func batchesAreTheFullRenderersBytes() {
        let frame = WebhookEnvelope.Frame(business: .default)
        let messages = Self.contents.enumerated().map { n, c in InboundMessage(id: "wamid.b\(n)", timestamp: 1_750_000_000, content: c) }
        let changed = messages.first { Self.kind($0.content) == "changedNumber" }!
        let a = Self.items(messages[0]), b = Self.items(messages[1]), system = Self.items(changed)
        for batch in [[a[0], b[0]], [a[0], b[1], a[2]], [a[0], a[0]], [system[0], a[1]], [system[0]], [a[2], b[2], system[1]]] {
            #expect(WebhookEnvelope.render(batch: batch, frame: frame) == WebhookEnvelope.render(batch: batch, business: .default))
        }
    }

    @Test func statusWebhooksAreTheFullRenderersBytes() {
        let statuses = [
            MessageStatus(wamid: "wamid.S", status: "sent", recipient: "250788000111", timestamp: 1_750_000_000,
                          conversation: .init(id: "c0ffee", expiresAt: 1_750_086_400, origin: "service"),
                          pricing: MessagePricing(billable: false, type: "free_customer_service", category: "service")),
            MessageStatus(wamid: "wamid.S", status: "read", recipient: "250788000111", timestamp: 1_750_000_300),
            MessageStatus(wamid: "wamid.F", status: "failed", recipient: "250788000111", timestamp: 1_750_000_001,
                          errors: [GraphError(code: 131047, title: "Re-engagement message", details: "More than 24 hours", httpStatus: 400)]),
        ]
        for business in Self.businesses {
            let frame = WebhookEnvelope.Frame(business: business)
            for status in statuses {
                #expect(StatusEnvelope.render(status, frame: frame) == StatusEnvelope.render(status, business: business))
            }
        }
    }
}
