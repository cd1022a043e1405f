import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import NIOCore
import NIOHTTP1
import Synchronization

/// Runs `loadgen smoke`'s checklist as real wire exchanges with the target: health probes, the
/// verification handshake, signed and unsigned deliveries, status deliveries, and messages whose
/// replies come back through the stand-in Graph API. The judging is `SmokeChecklist`'s (pure).
struct SmokeChecks: Sendable {
    /// Health URLs given with `--health`, probed after the embedded bot's own.
    var healthURLs: [TargetURL]
    /// Where the test numbers fall in the rollout (nil without `--rollout-percent`).
    var rollout: RolloutSelection?
    /// Production: a failed check stops the smoke test before its measured load.
    var stopOnFailure = false

    func run(_ ctx: ChecklistContext) async throws(LoadgenFailure) -> ChecklistOutcome {
        let wire = Wire(ctx: ctx)
        var checks: [Report.ScriptedCheck] = []
        func add(_ check: Report.ScriptedCheck) {
            checks.append(check)
            ctx.log("\(ConsoleSummary.mark(check.status)) \(check.name): \(check.status.uppercased()) — \(check.detail)")
        }

        // 1. Health: every endpoint HTTP 200 and ok/healthy, every dependency ok.
        let urls = (ctx.healthURL.map { [$0] } ?? []) + healthURLs
        var healthOK: Bool?
        for url in urls {
            let (check, ok) = await Preflight.health(url: url, headers: ctx.deliveryHeaders)
            add(.init(name: urls.count == 1 ? "health" : "health \(url)", status: check.status, detail: check.detail))
            healthOK = (healthOK ?? true) && ok
        }
        if urls.isEmpty { add(.init(name: "health", status: "skipped", detail: "no health endpoint: pass --health URL")) }

        // 2. The verification handshake (also the reachability check: exit 69 when the target is not there).
        let challenge = String(UInt32.random(in: 100_000_000...UInt32.max))
        let wrong = try await wire.verify(token: "loadgen-smoke-wrong-" + Secret.generate(length: 12).value, challenge: challenge)
        var right: (status: Int, body: String)?
        if let token = ctx.verifyToken { right = try await wire.verify(token: token.value, challenge: challenge) }
        add(SmokeChecklist.handshake(right: right, wrong: wrong, challenge: challenge))

        // 3. Signature enforcement, from the last test number (the first is kept for the routing checks).
        let prober = ctx.users[ctx.users.count - 1]
        let unsigned = await wire.message(.text(SmokeChecklist.menuText), from: prober, signing: .none).ack
        let badly = await wire.message(.text(SmokeChecklist.menuText), from: prober, signing: .wrongSecret).ack
        let signed = await wire.message(.text(SmokeChecklist.menuText), from: prober, signing: .appSecret).ack
        add(SmokeChecklist.signature(unsigned: unsigned, badlySigned: badly, signed: signed))

        // 4. Status-only deliveries: Meta sends three per reply; each must be acked with exactly 200.
        var statuses: [(status: String, result: DeliveryResult)] = []
        for status in ["sent", "delivered", "read"] {
            statuses.append((status, await wire.status(status, to: prober)))
        }
        add(SmokeChecklist.statuses(statuses))

        // 5. The rollout: some test number must be inside it, or the new path goes untested.
        if let rollout { add(SmokeChecklist.rollout(rollout)) }

        // 6–8. Replies, from the first (preferred) test number.
        let user = ctx.users[0]
        let agent = await wire.message(.text(SmokeChecklist.agentText), from: user)
        add(SmokeChecklist.reply("agent routing", ack: agent.ack, reply: agent.reply, expected: SmokeChecklist.agentReply,
                                 fallback: ctx.plan.fallback, aiCalls: ctx.upstreamCalls?.llmCalls(correlation: agent.wamid),
                                 wantsAI: true))
        let menu = await wire.message(.text(SmokeChecklist.menuText), from: user)
        add(SmokeChecklist.reply("menu fallback", ack: menu.ack, reply: menu.reply, expected: .interactive,
                                 unwanted: SmokeChecklist.agentReply,
                                 aiCalls: ctx.upstreamCalls?.llmCalls(correlation: menu.wamid), wantsAI: false))
        let garbage = await wire.message(.text(SmokeChecklist.garbageText), from: user)
        let unsupported = await wire.message(.unsupported(kind: SmokeChecklist.unsupportedKind), from: user)
        let clarify = FailurePattern.invalidInput.expected
        add(SmokeChecklist.combine("fallback: invalid input", [
            ("garbage text", SmokeChecklist.reply("garbage", ack: garbage.ack, reply: garbage.reply, expected: clarify)),
            ("unsupported type", SmokeChecklist.reply("unsupported", ack: unsupported.ack, reply: unsupported.reply, expected: clarify)),
        ]))
        let failed = checks.filter { $0.status == "fail" }.map(\.name)
        let skip = stopOnFailure && !failed.isEmpty
            ? "\(failed.joined(separator: ", ")) failed: a production bot that fails its checks gets no load" : nil
        return ChecklistOutcome(checks: checks, healthOK: healthOK, skipLoad: skip)
    }
}

extension SmokeChecks {
    /// The exchanges themselves, tagged like every smoke delivery.
    struct Wire: Sendable {
        let ctx: ChecklistContext
        private let sequence = ProbeCounter()

        init(ctx: ChecklistContext) { self.ctx = ctx }

        enum Signing { case appSecret, wrongSecret, none }

        /// Meta's verification GET with `token`; throws when the target cannot be reached at all.
        func verify(token: String, challenge: String) async throws(LoadgenFailure) -> (status: Int, body: String) {
            let r = try await Preflight.verification(client: ctx.client, target: ctx.target, token: token, challenge: challenge,
                                                     headers: ctx.deliveryHeaders)
            return (r.status, String(decoding: r.body, as: UTF8.self))
        }

        /// Sends one message from `user` and, when replies are routed to loadgen and the delivery was
        /// acked, waits for the reply (also when a refusal was expected: an accepted delivery's reply is
        /// consumed here, so it cannot be mistaken for a later check's).
        func message(_ content: InboundMessage.Content, from user: SimulatedUser, signing: Signing = .appSecret) async
            -> (ack: DeliveryResult, reply: SmokeChecklist.Reply, wamid: String)
        {
            let wamid = Wamid.inbound(phone: user.phone, sequence: nextSequence())
            let message = InboundMessage(id: wamid, timestamp: Int64(Date().timeIntervalSince1970), content: content)
            let body = WebhookEnvelope.render(message, phone: user.phone, profileName: user.profileName,
                                              bsuid: ctx.plan.includeBSUID ? user.bsuid : nil, business: ctx.plan.business)
            let awaits = ctx.plan.awaitReplies
            if awaits { ctx.correlator.open(user: user.index, wamid: wamid, deadline: .now.advanced(by: ctx.plan.replyTimeout)) }
            let ack = await post(body, signing: signing, key: user.index)
            guard awaits else { return (ack, .notAwaited, wamid) }
            guard ack == .status(200) else {
                ctx.correlator.abandon(user: user.index)
                return (ack, .notAwaited, wamid)
            }
            return (ack, await waitForReply(user: user.index), wamid)
        }

        /// A signed status-only delivery about a message the bot "sent" to `user`.
        func status(_ status: String, to user: SimulatedUser) async -> DeliveryResult {
            let body = StatusEnvelope.render(wamid: Wamid.outbound(phone: user.phone, sequence: nextSequence()), status: status,
                                             recipient: user.phone, timestamp: Int64(Date().timeIntervalSince1970),
                                             business: ctx.plan.business)
            return await post(body, signing: .appSecret, key: user.index)
        }

        private func post(_ body: [UInt8], signing: Signing, key: Int) async -> DeliveryResult {
            let signature: String? = switch signing {
            case .appSecret: WebhookSigner(appSecret: ctx.appSecret).signature(for: body)
            case .wrongSecret: WebhookSigner(appSecret: .generate()).signature(for: body)
            case .none: nil
            }
            return await WebhookClient(client: ctx.client, target: ctx.target, ackTimeout: ctx.ackTimeout, extraHeaders: ctx.deliveryHeaders)
                .deliver(body: body, signature: signature, user: key)
        }

        /// Waits for the open turn's reply; the engine's reply sweeper is not running yet, so this
        /// expires the turn itself at its deadline.
        private func waitForReply(user: Int) async -> SmokeChecklist.Reply {
            let correlator = ctx.correlator
            let outcome = await withTaskGroup(of: ReplyCorrelator<ContinuousClock.Instant>.Outcome?.self) { group in
                group.addTask { await correlator.wait(user: user) }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(10))
                        correlator.expire(now: .now)
                    }
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard case .replied(let reply, _)? = outcome else { return .timedOut }
            return .replied(reply)
        }

        /// Message sequence numbers above any the engine uses (it counts from `index << 24`), salted
        /// like the run's, so ids never repeat across runs.
        private func nextSequence() -> UInt64 {
            ctx.plan.wamidSalt &+ (UInt64(0xFF_FFFF) << 24) &+ sequence.next()
        }
    }
}

/// A counter shared by the exchanges.
final class ProbeCounter: Sendable {
    private let value = Synchronization.Atomic<UInt64>(0)
    func next() -> UInt64 { value.add(1, ordering: .relaxed).newValue }
}
