import LoadgenCore
import Testing

/// Status webhooks byte for byte against Meta's own examples (reference §2.4): a `sent` with its
/// conversation and pricing, a `failed` with its errors, and the 131047 a closed window fails with.
@Suite struct StatusEnvelopeTests {
    static let business = BusinessIdentity(wabaID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881")

    /// Meta's envelope around one status object, as its examples write it.
    static func envelope(_ status: String) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":["#
            + status + #"]},"field":"messages"}]}]}"#
    }

    @Test func aSentStatusIsMetasExample() {
        let status = MessageStatus(
            wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", status: "sent", recipient: "16505551234",
            timestamp: 1_750_030_073, conversation: .init(id: "72b14d6bd5407799e66f64d1b338e567", expiresAt: 1_750_116_480, origin: "marketing"),
            pricing: .template(category: "MARKETING"))
        let meta = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","status":"sent","timestamp":"1750030073","recipient_id":"16505551234","conversation":{"id":"72b14d6bd5407799e66f64d1b338e567","expiration_timestamp":"1750116480","origin":{"type":"marketing"}},"pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing"}}]},"field":"messages"}]}]}"#
        #expect(String(decoding: StatusEnvelope.render(status, business: Self.business), as: UTF8.self) == meta)
    }

    @Test func aFailedStatusIsMetasExample() {
        let ecosystem = GraphError(code: 131049, title: "This message was not delivered to maintain healthy ecosystem engagement.",
                                   details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.", httpStatus: 400)
        let status = MessageStatus(wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA", status: "failed", recipient: "16505551234",
                                   timestamp: 1_751_142_888, errors: [ecosystem])
        let meta = #"{"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA","status":"failed","timestamp":"1751142888","recipient_id":"16505551234","errors":[{"code":131049,"title":"This message was not delivered to maintain healthy ecosystem engagement.","message":"This message was not delivered to maintain healthy ecosystem engagement.","error_data":{"details":"In order to maintain a healthy ecosystem engagement, the message failed to be delivered."},"href":"/documentation/business-messaging/whatsapp/support/error-codes"}]}"#
        #expect(String(decoding: StatusEnvelope.render(status, business: Self.business), as: UTF8.self) == Self.envelope(meta))
    }

    /// The window's failure: Meta's fixture shape, with the current wording of 131047's details (M18).
    @Test func aClosedWindowFailsWith131047() {
        let status = MessageStatus(wamid: "wamid.X", status: "failed", recipient: "15551340563", timestamp: 1_708_603_746, errors: [.reengagement])
        let expected = #"{"id":"wamid.X","status":"failed","timestamp":"1708603746","recipient_id":"15551340563","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"More than 24 hours have passed since the recipient last replied to the sender number."},"href":"/documentation/business-messaging/whatsapp/support/error-codes"}]}"#
        #expect(String(decoding: StatusEnvelope.render(status, business: Self.business), as: UTF8.self) == Self.envelope(expected))
    }

    /// A free-form reply in the window is free: `free_customer_service`, `service`, not billable.
    @Test func aServiceReplyIsPricedFree() {
        let status = MessageStatus(wamid: "wamid.Y", status: "delivered", recipient: "1", timestamp: 2,
                                   conversation: .init(id: "c", expiresAt: nil, origin: "service"), pricing: .service)
        let expected = #"{"id":"wamid.Y","status":"delivered","timestamp":"2","recipient_id":"1","conversation":{"id":"c","origin":{"type":"service"}},"pricing":{"billable":false,"pricing_model":"PMP","type":"free_customer_service","category":"service"}}"#
        #expect(String(decoding: StatusEnvelope.render(status, business: Self.business), as: UTF8.self) == Self.envelope(expected))
    }

    /// Since the BSUID rollout (April 2026) a status names its user: `contacts[]` with `wa_id` (sent to a
    /// number) and `user_id` before `statuses`, and `recipient_user_id` in the status; a `failed` one has no
    /// `contacts[]` (reference §7; pywa 4.5 reads `contacts[0]` of every status it parses).
    @Test func aStatusOfTheBSUIDEraNamesItsUser() {
        let read = MessageStatus(wamid: "wamid.Z", status: "read", recipient: "16505551234", timestamp: 3,
                                 contact: .init(waID: "16505551234", userID: "US.13491208655302741918"), recipientUserID: "US.13491208655302741918")
        let expected = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"wa_id":"16505551234","user_id":"US.13491208655302741918"}],"statuses":[{"id":"wamid.Z","status":"read","timestamp":"3","recipient_id":"16505551234","recipient_user_id":"US.13491208655302741918"}]},"field":"messages"}]}]}"#
        #expect(String(decoding: StatusEnvelope.render(read, business: Self.business), as: UTF8.self) == expected)
        let toBSUID = MessageStatus(wamid: "wamid.Z", status: "sent", recipient: "US.1", timestamp: 3, contact: .init(waID: nil, userID: "US.1"),
                                    recipientUserID: "US.1")
        #expect(String(decoding: StatusEnvelope.render(toBSUID, business: Self.business), as: UTF8.self).contains(#""contacts":[{"user_id":"US.1"}],"statuses""#))
    }

    /// Who wrote, over every entry and change; statuses and errors carry no sender.
    @Test func theSendersOfADelivery() throws {
        let user = SimulatedUser(index: 1, seed: 3)
        let one = WebhookEnvelope.render(InboundMessage(id: "wamid.A", timestamp: 1, content: .text("hi")), phone: user.phone,
                                         profileName: "A", bsuid: user.bsuid, business: .default)
        #expect(WebhookEnvelope.senders(in: one) == [[user.phone, user.bsuid]])
        let username = WebhookEnvelope.render(InboundMessage(id: "wamid.B", timestamp: 1, content: .text("hi")), phone: nil,
                                              profileName: "B", bsuid: "RW.9", business: .default)
        #expect(WebhookEnvelope.senders(in: username) == [["RW.9"]])
        #expect(WebhookEnvelope.senders(in: StatusEnvelope.render(wamid: "w", status: "read", recipient: "1", timestamp: 1, business: .default)) == [])
        #expect(WebhookEnvelope.senders(in: Array("not json".utf8)) == [])
    }
}
