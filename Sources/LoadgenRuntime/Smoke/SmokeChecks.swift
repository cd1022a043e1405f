import Foundation
import LoadgenCore

/// The phase of `loadgen smoke` before its load: the checklist as real wire exchanges with the target —
/// health probes, the verification handshake, signed and unsigned deliveries, status deliveries, and
/// messages whose replies come back through the stand-in Graph API. The judging is `SmokeChecklist`'s
/// (pure); this runs the exchanges on the rig's own wiring.
struct SmokeChecks: Sendable {
    let plan: SmokePlan
    let rig: Rig
    let log: Log

    /// What the bot's answers must look like: the smoke scenario's wording.
    private var expected: Expectations { rig.plan.workload.scenario.expectations }

    /// What the checklist found: its checks in order, the target's health (nil: not probed), and why the
    /// measured load must not run (a production target that failed a check), if it must not.
    struct Outcome: Sendable {
        var checks: [Report.ScriptedCheck]
        var healthOK: Bool?
        var skipLoad: String?
    }

    func run() async throws(LoadgenFailure) -> Outcome {
        var wire = SmokeWire(rig: rig)
        let users = rig.plan.workload.users
        let (health, healthOK) = await self.health()
        var checks = health.map(said)
        checks.append(said(try await handshake(&wire)))
        checks += await transport(&wire, from: users[users.count - 1]).map(said)  // the first number is kept for the routing checks
        if let rollout = plan.rollout { checks.append(said(SmokeChecklist.rollout(rollout))) }
        checks += await replies(&wire, from: users[0]).map(said)
        let failed = checks.filter { $0.status == .fail }.map(\.name)
        let skip = plan.stopOnFailure && !failed.isEmpty
            ? "\(failed.joined(separator: ", ")) failed: a production bot that fails its checks gets no load" : nil
        return Outcome(checks: checks, healthOK: healthOK, skipLoad: skip)
    }

    /// Says a check as it ends.
    private func said(_ check: Report.ScriptedCheck) -> Report.ScriptedCheck {
        log("\(ConsoleSummary.mark(check.status)) \(check.name): \(check.status.rawValue.uppercased()) — \(check.detail)")
        return check
    }

    /// 1. Health: every endpoint HTTP 200 and ok/healthy, every dependency ok.
    private func health() async -> ([Report.ScriptedCheck], Bool?) {
        let urls = (rig.healthURL.map { [$0] } ?? []) + plan.healthURLs
        var checks: [Report.ScriptedCheck] = []
        var healthOK: Bool?
        for url in urls {
            let (check, ok) = await Preflight.health(url: url, headers: rig.plan.deliveryHeaders, trust: rig.trust)
            checks.append(.init(name: urls.count == 1 ? "health" : "health \(url)", status: check.status, detail: check.detail))
            healthOK = (healthOK ?? true) && ok
        }
        if urls.isEmpty { checks.append(.init(name: "health", status: .skipped, detail: "no health endpoint: pass --health URL")) }
        return (checks, healthOK)
    }

    /// 2. The verification handshake (also the reachability check: exit 69 when the target is not there).
    private func handshake(_ wire: inout SmokeWire) async throws(LoadgenFailure) -> Report.ScriptedCheck {
        let challenge = String(UInt32.random(in: 100_000_000...UInt32.max))
        let wrong = try await wire.verify(token: "loadgen-smoke-wrong-" + Secret.generate(length: 12).value, challenge: challenge)
        var right: (status: Int, body: String)?
        if let token = rig.verifyToken { right = try await wire.verify(token: token.value, challenge: challenge) }
        return SmokeChecklist.handshake(right: right, wrong: wrong, challenge: challenge)
    }

    /// 3–4. Signature enforcement, and status-only deliveries (Meta sends three per reply; each must be
    /// acked with exactly 200).
    private func transport(_ wire: inout SmokeWire, from prober: SimulatedUser) async -> [Report.ScriptedCheck] {
        let menuText = expected.smoke.menuMessage
        let unsigned = await wire.message(.text(menuText), from: prober, signing: .none).ack
        let badly = await wire.message(.text(menuText), from: prober, signing: .wrongSecret).ack
        let signed = await wire.message(.text(menuText), from: prober, signing: .appSecret).ack
        var statuses: [(status: String, result: DeliveryResult)] = []
        for status in ["sent", "delivered", "read"] { statuses.append((status, await wire.status(status, to: prober))) }
        return [SmokeChecklist.signature(unsigned: unsigned, badlySigned: badly, signed: signed), SmokeChecklist.statuses(statuses)]
    }

    /// 6–8. Replies, from the first (preferred) test number: agent routing, MENU, invalid input.
    private func replies(_ wire: inout SmokeWire, from user: SimulatedUser) async -> [Report.ScriptedCheck] {
        let calls = rig.upstreamCalls
        let smoke = expected.smoke
        let agent = await wire.message(.text(smoke.agentMessage), from: user)
        let routing = SmokeChecklist.reply("agent routing", ack: agent.ack, reply: agent.reply, expected: smoke.agentAnswer,
                                 fallback: rig.plan.workload.fallback, aiCalls: await calls?.llmCalls(correlation: agent.wamid), wantsAI: true)
        let menu = await wire.message(.text(smoke.menuMessage), from: user)
        let menuCheck = SmokeChecklist.reply("menu fallback", ack: menu.ack, reply: menu.reply, expected: smoke.menu, unwanted: smoke.agentAnswer,
                                 aiCalls: await calls?.llmCalls(correlation: menu.wamid), wantsAI: false)
        let garbage = await wire.message(.text(smoke.garbageMessage), from: user)
        let unsupported = await wire.message(.unsupported(kind: smoke.unsupportedKind), from: user)
        let clarify = expected.clarifyingQuestion
        return [routing, menuCheck, SmokeChecklist.combine("fallback: invalid input", [
            ("garbage text", SmokeChecklist.reply("garbage", ack: garbage.ack, reply: garbage.reply, expected: clarify)),
            ("unsupported type", SmokeChecklist.reply("unsupported", ack: unsupported.ack, reply: unsupported.reply, expected: clarify)),
        ])]
    }
}
