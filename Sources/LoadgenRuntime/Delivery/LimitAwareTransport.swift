import LoadgenCore

/// A webhook transport that tells Meta's limits (`GraphLimitGate`) of every message the simulated users
/// send before posting it: each opens its sender's 24-hour window and counts toward the business
/// number's throughput — Meta has the message whether or not the bot acks it. Used only with
/// `--graph-limits`: reading each body costs a parse.
struct LimitAwareTransport: WebhookTransport {
    let base: any WebhookTransport
    let gate: GraphLimitGate
    let now: @Sendable () -> ContinuousClock.Instant

    func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult {
        await note(body)
        return await base.deliver(body: body, signature: signature, user: user)
    }

    func deliverReportingRetryAfter(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, retryAfter: Int?) {
        await note(body)
        return await base.deliverReportingRetryAfter(body: body, signature: signature, user: user)
    }

    func deliverExplaining(body: [UInt8], signature: String, user: Int) async -> Delivered {
        await note(body)
        return await base.deliverExplaining(body: body, signature: signature, user: user)
    }

    private func note(_ body: [UInt8]) async {
        let senders = WebhookEnvelope.senders(in: body)
        if !senders.isEmpty { await gate.heard(from: senders, at: now()) }
    }
}
