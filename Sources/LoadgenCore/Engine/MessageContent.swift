/// What a user's message says and how Meta delivers it: the content of each kind of `Outgoing`, and the
/// envelope item carrying it from the user.
enum MessageContent {
    /// The message content for `outgoing`; nil when a `choose` finds nothing to choose. `original` is the
    /// user's previous message, the one a revoke deletes or an edit changes.
    static func content(
        _ outgoing: Outgoing, lastReply: BotReply?, wamid: String, original: String, business: BusinessIdentity,
        random: inout SeededRandom, user: SimulatedUser
    ) -> (InboundMessage.Content, InboundMessage.Context?)? {
        var mediaSeed: UInt64 { SeededRandom.digest(wamid.utf8) }  // media and flows only: not every text pays for it
        let quoted = lastReply?.messageID.map { InboundMessage.Context(from: business.displayPhoneNumber, id: $0) }
        switch outgoing {
        case .text(let bodies):
            let body = bodies[Int(random.next() % UInt64(bodies.count))]
            return (.text(user.personalise(body, random: &random)), nil)
        case .buttonReply(let id, let title): return (.buttonReply(id: id, title: title), quoted)
        case .listReply(let id, let title): return (.listReply(id: id, title: title, description: nil), quoted)
        case .location(let lat, let lon, let name): return (.location(latitude: lat, longitude: lon, name: name, address: nil), nil)
        case .image(let caption): return (.image(.make(seed: mediaSeed, mimeType: "image/jpeg"), caption: caption), nil)
        case .audio(let voice):
            return (.audio(.make(seed: mediaSeed, mimeType: voice ? "audio/ogg; codecs=opus" : "audio/mpeg"), voice: voice), nil)
        case .document(let filename, let caption):
            return (.document(.make(seed: mediaSeed, mimeType: "application/pdf"), filename: filename, caption: caption), nil)
        case .sticker(let animated): return (.sticker(.make(seed: mediaSeed, mimeType: "image/webp"), animated: animated), nil)
        case .video(let caption): return (.video(.make(seed: mediaSeed, mimeType: "video/mp4"), caption: caption), nil)
        case .contact(let name, let phone):
            return (.contact(name: name, phone: phone, waID: String(phone.filter(\.isNumber))), nil)
        case .order(let catalogID, let items, let text): return (.order(catalogID: catalogID, items: items, text: text), nil)
        case .flowReply(let answers):
            var w = JSONWriter(capacity: 128)
            w.object { w in
                w.field("flow_token", string: "flow-" + String(mediaSeed % 1_000_000_007))
                for key in answers.keys.sorted() { w.field(key, string: answers[key] ?? "") }
            }
            return (.flowReply(responseJSON: String(decoding: w.bytes, as: UTF8.self), body: "Sent"), quoted)
        case .adClick(let text, _): return (.text(text), nil)
        case .changedNumber:
            let old = user.phone
            let suffix = String(random.next() % 10_000)
            let new = String(old.dropLast(4)) + String(repeating: "0", count: 4 - suffix.count) + suffix
            return (.changedNumber(body: "User \(user.profileName) changed from +\(old) to +\(new)", newWaID: new), nil)
        case .reaction(let emoji):
            let target = lastReply?.messageID ?? Wamid.outbound(phone: business.displayPhoneNumber, sequence: random.next())
            return (.reaction(messageID: target, emoji: emoji), nil)
        case .unsupported(let kind): return (.unsupported(kind: kind), nil)
        case .revoke: return (.revoke(originalID: original), nil)
        case .edit(let text, let caption):
            // An edited caption keeps its photo: the media node the original message had (seeded by its id).
            let now: InboundMessage.Content = caption
                ? .image(.make(seed: SeededRandom.digest(original.utf8), mimeType: "image/jpeg"), caption: text) : .text(text)
            return (.edit(originalID: original, contextID: editContextID, message: now), nil)
        case .template, .burst:
            return nil  // rendered by the turn (from its template) and by `burst`
        case .choose(let choice):
            guard let reply = lastReply, let (isButton, option) = choice.pick(from: reply, random: &random) else { return nil }
            let content: InboundMessage.Content = isButton
                ? .buttonReply(id: option.id, title: option.title) : .listReply(id: option.id, title: option.title, description: nil)
            return (content, quoted)
        }
    }

    /// An edit's `message.context.id`: Meta's reference calls it a "contextual message ID (if applicable)"
    /// and shows `M0`, which loadgen sends as it is.
    static let editContextID = "M0"

    /// The ad a message's conversation came from, for an `adClick` (stable for one message id).
    static func referral(_ outgoing: Outgoing, wamid: String) -> InboundMessage.Referral? {
        guard case .adClick(_, let headline) = outgoing else { return nil }
        let seed = SeededRandom.digest(wamid.utf8) ^ 0xAD
        return InboundMessage.Referral(sourceID: String(120_200_000_000_000 + seed % 1_000_000_000), headline: headline,
                                       body: "Tap to chat with us on WhatsApp", clickID: "ARA" + String(seed, radix: 36))
    }

    /// Who a message from `user` is from, as Meta delivers it: the phone number unless the persona is
    /// username-only, the BSUID when the workload sends them (always for username-only users, who have
    /// nothing else).
    static func identity(of user: SimulatedUser, persona: Persona, workload: Workload) -> (phone: String?, bsuid: String?) {
        (persona.identity == .phone ? user.phone : nil, workload.includeBSUID || persona.identity == .usernameOnly ? user.bsuid : nil)
    }

    /// `message` from `user`, as a batch carries it.
    static func item(_ message: InboundMessage, from user: SimulatedUser, persona: Persona, workload: Workload) -> WebhookEnvelope.Item {
        let (phone, bsuid) = identity(of: user, persona: persona, workload: workload)
        return WebhookEnvelope.Item(message: message, phone: phone, profileName: user.profileName, bsuid: bsuid)
    }

    /// `user`'s bytes in every delivery from it, rendered once (`JourneyRun.sender`).
    static func sender(_ user: SimulatedUser, persona: Persona, workload: Workload) -> WebhookEnvelope.Sender {
        let (phone, bsuid) = identity(of: user, persona: persona, workload: workload)
        return WebhookEnvelope.Sender(phone: phone, profileName: user.profileName, bsuid: bsuid)
    }
}
