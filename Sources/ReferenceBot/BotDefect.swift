/// A deliberately broken fallback of the reference bot — a test switch, named by what breaks, so a
/// chaos drill can be shown to catch each regression (silence, a raw error, a leaked exception where a
/// graceful answer belongs).
public enum BotDefect: String, Sendable, Hashable, CaseIterable {
    /// The agent backend is down: a raw error instead of the traditional menu.
    case agentErrorLeaks = "agent-error-leaks"
    /// The LLM fails: silence instead of the ranking's answer.
    case silentWithoutLLM = "silent-without-llm"
    /// The session is gone: a leaked exception instead of "start again".
    case lostSessionCrashes = "lost-session-crashes"
    /// Garbage or an unsupported message: silence instead of a clarifying question.
    case ignoresBadInput = "ignores-bad-input"
    /// The LLM is too slow: a raw timeout error instead of partial results.
    case timeoutLeaks = "timeout-leaks"
    /// The search finds nothing: the empty result dumped instead of alternatives.
    case emptySearchDumped = "empty-search-dumped"
    /// The payment gateway fails: a raw error instead of another method.
    case paymentErrorLeaks = "payment-error-leaks"
    /// The database drops: a raw error instead of "busy, try again".
    case databaseErrorLeaks = "database-error-leaks"
    /// The vendor notification fails: a raw error instead of the nearest alternatives.
    case vendorErrorLeaks = "vendor-error-leaks"
}

/// Returns when the calling task is cancelled (a service's "run until stopped").
func untilCancelled() async {
    let (never, continuation) = AsyncStream.makeStream(of: Never.self)
    for await _ in never {}
    continuation.finish()
}
