/// The checks of `loadgen smoke` and how each is judged from what came back over the wire. Pure: the
/// CLI does the exchanges, these functions decide, so every verdict is testable without a socket.
public enum SmokeChecklist {
    /// The checks in the order they run (health first: an unhealthy target is the first thing to know).
    public static let order = ["health", "handshake", "signature", "statuses", "rollout", "agent routing", "menu fallback",
                               "fallback: invalid input"]

    // What the checklist sends and expects is the scenario's: `Expectations.Smoke` (EasyMO's by default).

    /// How a reply turned out.
    public enum Reply: Sendable, Hashable {
        /// Replies are not routed to loadgen (`--replies none`).
        case notAwaited
        /// No reply within the reply timeout.
        case timedOut
        case replied(BotReply)
    }

    /// Signature enforcement: unsigned and badly signed deliveries refused (4xx), a correctly signed one
    /// acked with exactly 200.
    public static func signature(unsigned: DeliveryResult, badlySigned: DeliveryResult, signed: DeliveryResult) -> Report.ScriptedCheck {
        var problems: [String] = []
        for (what, result) in [("an unsigned delivery", unsigned), ("a badly signed delivery", badlySigned)] {
            switch result {
            case .status(let s) where (400..<500).contains(s): continue
            case .status(200): problems.append("accepted \(what) (HTTP 200)")
            case .status(let s): problems.append("answered \(what) with HTTP \(s), not a 4xx refusal")
            case .failed(let why): problems.append("no answer to \(what) (\(why))")
            }
        }
        if signed != .status(200) { problems.append("a correctly signed delivery got \(describe(signed)), not 200") }
        guard problems.isEmpty else { return .init(name: "signature", status: .fail, detail: problems.joined(separator: "; ")) }
        return .init(name: "signature", status: .pass,
                     detail: "unsigned → \(describe(unsigned)), bad signature → \(describe(badlySigned)), signed → 200")
    }

    /// The verification handshake: the right token echoes the challenge, a wrong one is refused (any
    /// non-200, or a 200 that does not echo the challenge). `right` nil: no verify token to try.
    public static func handshake(right: (status: Int, body: String)?, wrong: (status: Int, body: String), challenge: String)
        -> Report.ScriptedCheck
    {
        let refusedWrong = wrong.status != 200 || wrong.body != challenge
        let wrongText = "wrong token → HTTP \(wrong.status)"
        guard let right else {
            return .init(name: "handshake", status: refusedWrong ? .skipped : .fail,
                         detail: refusedWrong ? "\(wrongText); set WHATSAPP_VERIFY_TOKEN to check the right token echoes the challenge"
                             : "a wrong verify token was accepted (the challenge was echoed)")
        }
        var problems: [String] = []
        if right.status != 200 || right.body != challenge {
            problems.append("the verify token got HTTP \(right.status)\(right.status == 200 ? " without the challenge" : ""), not the challenge")
        }
        if !refusedWrong { problems.append("a wrong verify token was accepted (the challenge was echoed)") }
        guard problems.isEmpty else { return .init(name: "handshake", status: .fail, detail: problems.joined(separator: "; ")) }
        return .init(name: "handshake", status: .pass, detail: "verify token echoes the challenge; \(wrongText)")
    }

    /// Status-only deliveries (`statuses[]`, no message) acked with exactly 200.
    public static func statuses(_ results: [(status: String, result: DeliveryResult)]) -> Report.ScriptedCheck {
        let bad = results.filter { $0.result != .status(200) }
        guard bad.isEmpty else {
            return .init(name: "statuses", status: .fail,
                         detail: bad.map { "\($0.status) → \(describe($0.result))" }.joined(separator: ", ") + " (expected 200)")
        }
        return .init(name: "statuses", status: .pass, detail: results.map(\.status).joined(separator: ", ") + " status deliveries acked 200")
    }

    /// A message whose reply is judged: acked with 200, then (when replies are routed) a reply that
    /// `expected` matches, that `unwanted` does not, and that is not a fallback. `aiCalls` is the LLM calls the message caused
    /// (nil: not observable); `wantsAI` says whether there must be some (true) or none (false).
    public static func reply(
        _ name: String, ack: DeliveryResult, reply: Reply, expected: ReplyMatcher, unwanted: ReplyMatcher? = nil,
        fallback: FallbackClassifier? = nil,
        aiCalls: Int? = nil, wantsAI: Bool? = nil
    ) -> Report.ScriptedCheck {
        guard ack == .status(200) else {
            return .init(name: name, status: .fail, detail: "the delivery got \(describe(ack)), not 200")
        }
        let said: String
        let answer: BotReply
        switch reply {
        case .notAwaited:
            return .init(name: name, status: .skipped, detail: "acked 200; the reply is not judged (--replies none)")
        case .timedOut:
            return .init(name: name, status: .fail,
                         detail: "acked 200 but no reply reached loadgen's Graph API in time (is the bot's Graph base URL pointed at --graph-listen? else use --replies none)")
        case .replied(let r):
            answer = r
            said = quote(r)
        }
        guard expected.matches(answer) else {
            return .init(name: name, status: .fail, detail: "expected \(expected), got \(said)")
        }
        if let unwanted, unwanted.matches(answer) {
            return .init(name: name, status: .fail, detail: "expected \(expected) but not \(unwanted), got \(said)")
        }
        if let fallback, fallback.isFallback(answer) {
            return .init(name: name, status: .fail, detail: "got a fallback reply, not the agent's: \(said)")
        }
        var ai = ""
        if let wantsAI {
            switch (aiCalls, wantsAI) {
            case (nil, _): ai = "; AI calls not observable on an external target"
            case (let n?, true) where n == 0: return .init(name: name, status: .fail, detail: "\(said), but the AI was not called")
            case (let n?, false) where n > 0: return .init(name: name, status: .fail, detail: "\(said), but the AI was called (\(n) LLM call\(n == 1 ? "" : "s"))")
            case (let n?, _): ai = "; \(n) LLM call\(n == 1 ? "" : "s")"
            }
        }
        return .init(name: name, status: .pass, detail: said + ai)
    }

    /// Several probes of one check combined: the first failure, else the first skip, else a pass with
    /// every detail.
    public static func combine(_ name: String, _ parts: [(label: String, check: Report.ScriptedCheck)]) -> Report.ScriptedCheck {
        if let failed = parts.first(where: { $0.check.status == .fail }) {
            return .init(name: name, status: .fail, detail: "\(failed.label): \(failed.check.detail)")
        }
        let status = parts.contains { $0.check.status == .skipped } ? CheckStatus.skipped : .pass
        return .init(name: name, status: status, detail: parts.map { "\($0.label): \($0.check.detail)" }.joined(separator: "; "))
    }

    /// Whether test numbers cover the rollout: at least one must be inside, or the new path goes untested.
    public static func rollout(_ selection: RolloutSelection) -> Report.ScriptedCheck {
        let list = selection.entries.map { "+\($0.number) bucket \($0.bucket)" }.joined(separator: ", ")
        guard let first = selection.inside.first else {
            let hint = selection.suggestions()
            return .init(name: "rollout", status: .fail,
                         detail: "none of the test numbers is inside the \(selection.percent) % rollout (\(list)); the new path would go untested"
                             + (hint.isEmpty ? "" : ". Numbers inside it: " + hint.map { "+" + $0 }.joined(separator: ", ")
                                 + " (add a real test phone like these)"))
        }
        return .init(name: "rollout", status: .pass,
                     detail: "\(selection.inside.count) of \(selection.entries.count) test numbers inside the \(selection.percent) % rollout (\(list)); agent routing uses +\(first)")
    }

    static func describe(_ result: DeliveryResult) -> String {
        switch result {
        case .status(let s): "HTTP \(s)"
        case .failed(let why): "no answer (\(why))"
        }
    }

    static func quote(_ reply: BotReply) -> String {
        let text = reply.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let short = text.count > 60 ? String(text.prefix(57)) + "…" : text
        let kind = !reply.rows.isEmpty ? "a list of \(reply.rows.count)" : (!reply.buttons.isEmpty ? "\(reply.buttons.count) buttons" : reply.type)
        return "\(kind) \"\(short)\""
    }
}
