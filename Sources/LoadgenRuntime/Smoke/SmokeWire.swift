import Foundation
import LoadgenCore
import LoadgenHTTP

/// The smoke checklist's exchanges with the target, each tagged like every smoke delivery and sent over
/// the rig's own client, secrets and stand-in Graph API.
struct SmokeWire: Sendable {
    let rig: Rig
    /// Message sequence numbers above any the engine uses for the test numbers (it counts from
    /// `index << 24`) and below the run's salt (bits 42–63), so ids never repeat across runs.
    private var sequence = UInt64(1) << 40

    init(rig: Rig) { self.rig = rig }

    enum Signing { case appSecret, wrongSecret, none }

    /// Meta's verification GET with `token`; throws when the target cannot be reached at all.
    func verify(token: String, challenge: String) async throws(LoadgenFailure) -> (status: Int, body: String) {
        let r = try await Preflight.verification(client: rig.client, target: rig.target, token: token, challenge: challenge,
                                                 headers: rig.plan.deliveryHeaders)
        return (r.status, String(decoding: r.body, as: UTF8.self))
    }

    /// Sends one message from `user` and, when replies are routed to loadgen and the delivery was acked,
    /// waits for the reply (also when a refusal was expected: an accepted delivery's reply is consumed
    /// here, so it cannot be mistaken for a later check's).
    mutating func message(_ content: InboundMessage.Content, from user: SimulatedUser, signing: Signing = .appSecret) async
        -> (ack: DeliveryResult, reply: SmokeChecklist.Reply, wamid: String)
    {
        let w = rig.plan.workload
        let wamid = Wamid.inbound(phone: user.phone, sequence: nextSequence())
        let message = InboundMessage(id: wamid, timestamp: Int64(Date().timeIntervalSince1970), content: content)
        let body = WebhookEnvelope.render(message, phone: user.phone, profileName: user.profileName,
                                          bsuid: w.includeBSUID ? user.bsuid : nil, business: w.business)
        let deadline = rig.clock.now.advanced(by: w.replyTimeout)
        guard w.replies.awaitsReplies else { return (await post(body, signing: signing, key: user.index), .notAwaited, wamid) }
        rig.correlator.open(user: user.index, wamid: wamid)
        let ack = await post(body, signing: signing, key: user.index)
        guard ack == .status(200) else {
            rig.correlator.abandon(user: user.index)
            return (ack, .notAwaited, wamid)
        }
        guard case .replied(let reply, _) = await rig.correlator.wait(user: user.index, until: deadline, on: rig.clock) else {
            return (ack, .timedOut, wamid)
        }
        return (ack, .replied(reply), wamid)
    }

    /// A signed status-only delivery about a message the bot "sent" to `user`.
    mutating func status(_ status: String, to user: SimulatedUser) async -> DeliveryResult {
        let body = StatusEnvelope.render(wamid: Wamid.outbound(phone: user.phone, sequence: nextSequence()), status: status,
                                         recipient: user.phone, timestamp: Int64(Date().timeIntervalSince1970),
                                         business: rig.plan.workload.business)
        return await post(body, signing: .appSecret, key: user.index)
    }

    private func post(_ body: [UInt8], signing: Signing, key: Int) async -> DeliveryResult {
        let signature: String? = switch signing {
        case .appSecret: WebhookSigner(appSecret: rig.appSecret).signature(for: body)
        case .wrongSecret: WebhookSigner(appSecret: .generate()).signature(for: body)
        case .none: nil
        }
        return await WebhookClient(client: rig.client, target: rig.target, ackTimeout: rig.plan.ackTimeout, extraHeaders: rig.plan.deliveryHeaders)
            .deliver(body: body, signature: signature, user: key)
    }

    /// The next probe's sequence number, salted like the run's.
    private mutating func nextSequence() -> UInt64 {
        sequence += 1
        return rig.plan.workload.wamidSalt &+ sequence
    }
}
