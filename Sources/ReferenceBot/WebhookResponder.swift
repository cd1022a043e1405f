import Wire
import Foundation
import LoadgenHTTP
import NIOHTTP1

/// The bot's HTTP front: verification handshake, deliveries, health.
struct WebhookResponder: HTTPResponder {
    let bot: ReferenceBot

    func respond(to request: ServerRequest) async -> ServerResponse { answer(request) }

    /// Every request is answered without waiting: the reply is worked out after the ack, by a worker.
    func respondAtOnce(to request: ServerRequest) -> ServerResponse? { answer(request) }

    private func answer(_ request: ServerRequest) -> ServerResponse {
        let path = request.path
        if path == "/health" || path.hasSuffix("/health") {
            return health()
        }
        switch request.method {
        case .GET: return verify(request)
        case .POST: return deliver(request)
        default: return .text(.methodNotAllowed, "method_not_allowed")
        }
    }

    /// Meta's handshake: 200 with the bare challenge only for `hub.mode=subscribe` and the right token.
    private func verify(_ request: ServerRequest) -> ServerResponse {
        let q = request.query
        guard q["hub.mode"] == "subscribe", let token = q["hub.verify_token"],
              ConstantTime.equal(Array(token.utf8), Array(bot.config.verifyToken.value.utf8)),
              let challenge = q["hub.challenge"]
        else { return .text(.forbidden, "forbidden") }
        return .text(.ok, challenge)
    }

    private func deliver(_ request: ServerRequest) -> ServerResponse {
        let stats = bot.intake
        if request.bodyTooLarge {
            stats.count(\.badRequest)
            return .json(.payloadTooLarge, Array(#"{"error":"payload_too_large"}"#.utf8))
        }
        if bot.config.verifySignatures {
            guard bot.signer.isValid(signatureHeader: request.headers.first(name: "X-Hub-Signature-256"), body: request.body) else {
                stats.count(\.badSignature)
                return .text(.unauthorized, "sig")
            }
        }
        guard let payload = InboundPayload(body: request.body) else {
            stats.count(\.badRequest)
            return .json(.badRequest, Array(#"{"error":"bad_json"}"#.utf8))
        }
        let statuses = (payload.entry ?? []).flatMap { ($0.changes ?? []).flatMap { $0.value?.statuses ?? [] } }
        if !statuses.isEmpty { stats.count(\.statuses, statuses.count) }

        var accepted: [UserMessage] = []
        for (metadata, contact, raw) in payload.messages {
            guard metadata?.phone_number_id == nil || metadata?.phone_number_id == bot.config.phoneNumberID else {
                stats.count(\.ignoredPhoneMismatch)  // EasyMO G1 ignores deliveries for another number
                continue
            }
            guard let message = UserMessage(raw, contact: contact) else {
                stats.count(\.badRequest)
                continue
            }
            accepted.append(message)
        }
        switch stats.admit(accepted) {
        case .rateLimited(let retryAfter):
            return .json(.tooManyRequests, Array(#"{"error":"rate_limit_exceeded","retryAfter":\#(retryAfter)}"#.utf8),
                         headers: ["Retry-After": String(retryAfter)])
        case .accepted(let messages):
            // Ack first; the reply is worked out and sent after, as a real bot does.
            for message in messages { bot.enqueue(message) }
            return .text(.ok, "ok")
        }
    }

    /// The EasyMO worker's health shape: `status` ok/degraded/critical and a status per dependency.
    private func health() -> ServerResponse {
        let s = bot.intake.counts
        let uptime = ContinuousClock.now - bot.started
        var w = JSONWriter(capacity: 512)
        w.object { w in
            w.field("status", string: "ok")
            w.field("timestamp", string: ISO8601DateFormatter().string(from: Date()))
            w.field("uptime") { $0.rawNumber(String(Double(uptime.components.seconds))) }
            w.field("checks") { w in
                w.object { w in
                    for name in ["openai", "redis", "supabase"] {
                        w.field(name) { w in
                            w.object { w in
                                w.field("status", string: "ok")
                                w.field("latencyMs") { $0.rawNumber("0") }
                            }
                        }
                    }
                }
            }
            w.field("worker") { w in
                w.object { w in
                    w.field("running") { $0.bool(true) }
                    w.field("metrics") { w in
                        w.object { w in
                            for (key, value) in [
                                ("received", s.received), ("processed", s.processed), ("duplicates", s.duplicates),
                                ("rateLimited", s.rateLimited), ("badSignature", s.badSignature),
                                ("badRequest", s.badRequest), ("ignoredPhoneMismatch", s.ignoredPhoneMismatch),
                                ("statuses", s.statuses), ("replied", s.replied), ("sendFailures", s.sendFailures),
                                ("outboxOverflow", s.outboxOverflow), ("startedLate", s.startedLate),
                                ("longestQueueWaitMs", s.longestQueueWaitMilliseconds),
                            ] { w.field(key) { $0.rawNumber(String(value)) } }
                        }
                    }
                }
            }
        }
        return .json(.ok, w.bytes)
    }
}
