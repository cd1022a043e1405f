import LoadgenCore

/// The run's one `GraphLimiter`, shared by the stand-in Graph API (which asks it about every bot send)
/// and the webhook side (which tells it of every user message, `LimitAwareTransport`). An actor, so the
/// limiter stays a plain value and the report reads its counts at the end.
public actor GraphLimitGate {
    private var limiter: GraphLimiter<ContinuousClock.Instant>

    /// A gate holding sends to `limits`.
    public init(_ limits: GraphLimits) { limiter = GraphLimiter(limits) }

    /// What becomes of `send` (a message; read receipts and typing are not messages), arrived at `now`.
    public func judge(_ send: GraphSend, at now: ContinuousClock.Instant) -> GraphLimiter<ContinuousClock.Instant>.Verdict {
        limiter.judge(recipient: send.toDigits.flatMap { $0.isEmpty ? nil : $0 } ?? send.recipient ?? "", template: send.template != nil, at: now)
    }

    /// Users wrote at `now` (per message, the keys a reply addresses its sender by).
    public func heard(from messages: [[String]], at now: ContinuousClock.Instant) {
        limiter.heard(from: messages, at: now)
    }

    /// The hits so far.
    public var counts: GraphLimitCounts { limiter.counts }
}
