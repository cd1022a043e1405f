import LoadgenCore
import Testing

/// A deleted and an edited message, rendered with the values of Meta's own samples, are Meta's documented
/// deliveries byte for byte: the "Revoke messages" (2026-05-21) and "Edit messages" (2026-06-11) webhook
/// references, compacted as Meta signs them.
@Suite struct RevokeAndEditEnvelopeTests {
    static let changeID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA="
    static let original = "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA="
    /// Everything around the message: Meta's sample business and user (no BSUID, as in its samples).
    static let head = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","#
        + #""metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"#
        + #""contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"\#(Self.changeID)","timestamp":"1749854575","#
    static let tail = #"}]},"field":"messages"}]}]}"#

    private func render(_ content: InboundMessage.Content) -> String {
        let message = InboundMessage(id: Self.changeID, timestamp: 1_749_854_575, content: content)
        return String(decoding: WebhookEnvelope.render(message, phone: "16505551234", profileName: "Sheena Nelson", bsuid: nil, business: .default),
                      as: UTF8.self)
    }

    @Test func aRevokeIsMetasDocumentedDelivery() {
        #expect(render(.revoke(originalID: Self.original))
            == Self.head + #""type":"revoke","revoke":{"original_message_id":"\#(Self.original)"}"# + Self.tail)
    }

    @Test func aTextEditIsMetasDocumentedDelivery() {
        #expect(render(.edit(originalID: Self.original, contextID: "M0", message: .text("2 kg of tomatoes, not 3 🍅")))
            == Self.head + #""type":"edit","edit":{"original_message_id":"\#(Self.original)","message":{"context":{"id":"M0"},"#
            + #""type":"text","text":{"body":"2 kg of tomatoes, not 3 \ud83c\udf45"}}}"# + Self.tail)
    }

    /// Meta's own sample edits a photo's caption; only the `url` differs (loadgen's is the media's on the
    /// stand-in's lookaside host, Meta's sample a placeholder).
    @Test func aCaptionEditIsMetasDocumentedDelivery() {
        let media = InboundMessage.Media(id: "1234567890", mimeType: "image/jpeg", sha256: "a1b2c3d4e5f6...")
        #expect(render(.edit(originalID: Self.original, contextID: "M0", message: .image(media, caption: "Updated image caption")))
            == Self.head + #""type":"edit","edit":{"original_message_id":"\#(Self.original)","message":{"context":{"id":"M0"},"type":"image","#
            + #""image":{"caption":"Updated image caption","mime_type":"image/jpeg","sha256":"a1b2c3d4e5f6...","id":"1234567890","#
            + #""url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1234567890"}}}"# + Self.tail)
    }

    /// With a BSUID, as loadgen sends every message of a run that includes them: `contacts[].user_id` and
    /// `from_user_id`, like any other message.
    @Test func aRevokeCarriesTheSendersBSUIDLikeAnyMessage() {
        let user = SimulatedUser(index: 7, seed: 42)
        let body = String(decoding: WebhookEnvelope.render(InboundMessage(id: "wamid.N", timestamp: 1, content: .revoke(originalID: "wamid.O")),
                                                           from: user, business: .default), as: UTF8.self)
        #expect(body.contains(#""contacts":[{"profile":{"name":"\#(user.profileName)"},"wa_id":"\#(user.phone)","user_id":"\#(user.bsuid)"}]"#))
        #expect(body.contains(#""messages":[{"from":"\#(user.phone)","from_user_id":"\#(user.bsuid)","id":"wamid.N","timestamp":"1","type":"revoke","#))
    }
}
