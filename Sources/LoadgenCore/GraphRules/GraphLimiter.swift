/// Meta's sending limits as a state machine: each bot send, judged at the instant it arrived, is
/// delivered, refused on the spot (131056 pair rate, 130429 throughput), or accepted and failed later
/// (131056 just past the pair bucket; 131047: a free-form message outside the user's 24-hour window). Each user message it is told of
/// opens that user's window and counts toward the number's throughput, as Meta counts inbound too.
///
/// Pure: no clock of its own; the instants come from the run's clock (the stand-in passes each request's
/// arrival, the webhook side the moment it posts). Checks run in Meta's order — the API refuses what it
/// throttles before it accepts a message — and a refused send takes no token.
///
/// ```swift
/// var limiter = GraphLimiter<ContinuousClock.Instant>(.meta)
/// limiter.heard(from: [["250788123456"]], at: t0)
/// limiter.judge(recipient: "250788123456", template: false, at: t0 + .seconds(1))   // .deliver
/// ```
public struct GraphLimiter<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What becomes of one send.
    public enum Verdict: Sendable, Equatable {
        case deliver
        /// Refused with this error's synchronous envelope: no message, no statuses.
        case refuse(GraphError)
        /// Accepted (200 and a wamid), then failed with this error in a `failed` status.
        case failLater(GraphError)
    }

    public let limits: GraphLimits
    private var throughput: PacingBucket<Instant>?
    private var pairs: [String: PacingBucket<Instant>] = [:]
    /// When each user (by phone and by BSUID) last wrote.
    private var lastHeard: [String: Instant] = [:]
    /// Past this many pair buckets, full ones are forgotten (a new bucket is full): memory stays bounded
    /// by the users who wrote or were written to lately, not by the run's length.
    private var pruneAt = 4_096
    public private(set) var counts = GraphLimitCounts()

    public init(_ limits: GraphLimits) {
        self.limits = limits
        throughput = limits.throughput.map { PacingBucket(capacity: $0, interval: .seconds(1) / $0) }
    }

    /// Users wrote at `now`: one entry per message, with the keys a reply may address its sender by.
    public mutating func heard(from messages: [[String]], at now: Instant) {
        for keys in messages {
            throughput?.spend(at: now)
            if limits.window != nil { for key in keys { lastHeard[key] = now } }
        }
    }

    /// Judges a send to `recipient` (digits or BSUID) arriving at `now`; a template may go outside the window.
    public mutating func judge(recipient: String, template: Bool, at now: Instant) -> Verdict {
        if let bucket = throughput, !bucket.allows(at: now) {
            counts.throughput += 1
            return .refuse(.throughput)
        }
        var overPair = false
        if let pair = limits.pair {
            var bucket = pairs[recipient] ?? PacingBucket(capacity: pair.capacity, interval: pair.interval)
            if !bucket.take(at: now) {
                // Past the bucket, 131056 comes in both of the forms the field reports: the first bucket's
                // worth of sends past it is accepted and fails in delivery (a `failed` status), the rest
                // is refused by the API on the spot — a bot meets both, as it would in production.
                guard bucket.take(at: now, overdraft: pair.capacity) else {
                    counts.pairRate += 1
                    return .refuse(.pairRateLimit)
                }
                counts.pairRateFailed += 1
                overPair = true
            }
            pairs[recipient] = bucket
            if pairs.count > pruneAt { prune(at: now) }
        }
        throughput?.take(at: now)
        if overPair { return .failLater(.pairRateLimit) }
        if let window = limits.window, !template, !(lastHeard[recipient].map { $0.duration(to: now) < window } ?? false) {
            counts.window += 1
            return .failLater(.reengagement)
        }
        return .deliver
    }

    private mutating func prune(at now: Instant) {
        pairs = pairs.filter { !$0.value.isFull(at: now) }
        pruneAt = max(4_096, pairs.count * 2)
    }
}
