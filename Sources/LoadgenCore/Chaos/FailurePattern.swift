/// EasyMO v2.0's nine fallback failure patterns (reference/easymo.md §1.2), as first-class values: where
/// each is injected, what fault it injects by default, and what the bot should answer instead.
public enum FailurePattern: String, Sendable, Hashable, CaseIterable, Codable {
    case agentUnavailable = "agent-unavailable"
    case aiServiceDown = "ai-service-down"
    case contextLost = "context-lost"
    case invalidInput = "invalid-input"
    case timeout
    case noResults = "no-results"
    case paymentFailure = "payment-failure"
    case networkIssues = "network-issues"
    case vendorUnavailable = "vendor-unavailable"

    /// 1–9, the release notes' order.
    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

    /// Where the fault is injected.
    public var site: InjectionSite {
        switch self {
        case .agentUnavailable: .agentBackend
        case .aiServiceDown: .llm
        case .contextLost: .sessionStore
        case .invalidInput: .traffic
        case .timeout: .llm
        case .noResults: .search
        case .paymentFailure: .payments
        case .networkIssues: .database
        case .vendorUnavailable: .vendorNotify
        }
    }

    /// The fault injected when a plan does not say otherwise.
    public var defaultFault: FaultShape {
        switch self {
        case .agentUnavailable: .status(503)
        case .aiServiceDown: .status(500)
        case .contextLost: .emptyResult
        case .invalidInput: .invalidInput
        case .timeout: .delay(.seconds(35))  // past the bot's 30 s LLM deadline
        case .noResults: .emptyResult
        case .paymentFailure: .status(502)
        case .networkIssues: .reset
        case .vendorUnavailable: .rateLimited(retryAfter: 60)
        }
    }

    /// What the bot should do (the release notes' words).
    public var graceful: String {
        switch self {
        case .agentUnavailable: "offer the traditional menu"
        case .aiServiceDown: "answer from ranking or cache (\"top-rated\"), never silence"
        case .contextLost: "recover the session: ask to start again"
        case .invalidInput: "ask a clarifying question with an example"
        case .timeout: "retry simplified: partial results (\"so far\", \"top vendors\")"
        case .noResults: "expand the search: alternatives (\"No … found\")"
        case .paymentFailure: "offer another payment method"
        case .networkIssues: "retry with backoff; \"try again\" or \"busy\"; the reply still arrives"
        case .vendorUnavailable: "continue with the nearest alternatives"
        }
    }

    /// How a graceful reply is recognised: data, overridable per target (EasyMO's message hints).
    public var expected: ReplyMatcher {
        switch self {
        case .agentUnavailable: .oneOf([.contains("not available"), .interactive, .contains("traditional")])
        case .aiServiceDown: .oneOf([.contains("top-rated"), .contains("top-ranked"), .contains("showing")])
        case .contextLost: .oneOf([.contains("expired"), .contains("start a new"), .contains("start again")])
        case .invalidInput: .oneOf([.contains("for example"), .contains("e.g."), .contains("please share")])
        case .timeout: .oneOf([.contains("so far"), .contains("top vendors"), .contains("partial")])
        case .noResults: .oneOf([.regex("no .* found"), .contains("alternatives"), .contains("try browsing")])
        case .paymentFailure: .oneOf([.contains("another method"), .contains("alternative payment")])
        case .networkIssues: .oneOf([.contains("try again"), .contains("busy")])
        case .vendorUnavailable: .oneOf([.contains("nearest"), .contains("alternative"), .contains("other vendors")])
        }
    }
}

/// Where a fault acts: an upstream of the bot, or the traffic itself.
public enum InjectionSite: String, Sendable, Hashable, Codable {
    case agentBackend = "agent backend"
    case llm = "LLM (chat completions)"
    case sessionStore = "session store"
    case traffic = "simulated users' messages"
    case search = "catalogue search"
    case payments = "payment gateway"
    case database = "database REST"
    case vendorNotify = "vendor notification (Graph API send)"
}

/// What a fault does to a call.
public enum FaultShape: Sendable, Hashable, CustomStringConvertible {
    /// Answer with this HTTP status (and a JSON error body).
    case status(Int)
    /// Answer correctly, but only after this delay.
    case delay(Duration)
    /// Drop the connection without answering.
    case reset
    /// Never answer (the caller's deadline decides).
    case stall
    /// Answer 200 with a body that is not valid JSON.
    case malformedBody
    /// Answer 200 with no rows / no session.
    case emptyResult
    /// Answer 429 with `Retry-After`.
    case rateLimited(retryAfter: Int)
    /// The simulated user sends incomplete or unparsable input instead of its message.
    case invalidInput
    /// After its turn, the simulated user floods the bot with this many messages back to back — past a
    /// per-user rate limit (EasyMO core: 30 a minute) — and then waits as long as the bot asks.
    case rateLimitBurst(messages: Int)

    /// Faults the simulated users play themselves, not an upstream.
    public var isTrafficSide: Bool {
        switch self {
        case .invalidInput, .rateLimitBurst: true
        default: false
        }
    }

    /// Whether the turn the fault hits is judged by the pattern's reply expectation. A burst is judged on
    /// its own (did the bot limit it?), and the turn before it keeps its step's expectation.
    public var judgesTheTurn: Bool {
        if case .rateLimitBurst = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .status(let code): "HTTP \(code)"
        case .delay(let d): "delay \(d.components.seconds) s"
        case .reset: "connection reset"
        case .stall: "stall"
        case .malformedBody: "malformed body"
        case .emptyResult: "empty result"
        case .rateLimited(let s): "429, Retry-After \(s)"
        case .invalidInput: "invalid input"
        case .rateLimitBurst(let n): "a burst of \(n) messages from one user"
        }
    }
}
