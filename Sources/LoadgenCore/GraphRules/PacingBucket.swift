/// A token bucket, kept as one instant: `capacity` tokens, one back every `interval`. Meta's pair rate
/// is one (45 tokens, one per 6 s); its throughput another (80, one per 12.5 ms).
///
/// It stores when the bucket will be full again (the "theoretical arrival time" of the generic cell
/// rate algorithm), not a token count that a timer refills: a pure value, exact in `Duration`s, judged
/// at the instants it is given — a test picks them, the stand-in passes each request's arrival.
///
/// ```swift
/// var pair = PacingBucket<ContinuousClock.Instant>(capacity: 45, interval: .seconds(6))
/// pair.take(at: now)        // true: 44 tokens left
/// ```
public struct PacingBucket<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let capacity: Int
    /// How long one token takes to come back.
    public let interval: Duration
    /// When every token taken so far is back; nil (or past): the bucket is full.
    private var fullAt: Instant?

    public init(capacity: Int, interval: Duration) {
        self.capacity = max(1, capacity)
        self.interval = interval
    }

    /// Whether a token is there at `now`, or (with an `overdraft`) one of that many borrowed past empty.
    public func allows(at now: Instant, overdraft: Int = 0) -> Bool {
        guard let fullAt, fullAt > now else { return true }
        // One token is left while the refill still owed is at most capacity - 1 intervals.
        return now.duration(to: fullAt) <= interval * (capacity - 1 + overdraft)
    }

    /// Takes a token if there is one at `now` (or, with an `overdraft`, borrows one of that many past
    /// empty, to be paid back by the refill); false (and nothing taken) otherwise.
    @discardableResult
    public mutating func take(at now: Instant, overdraft: Int = 0) -> Bool {
        guard allows(at: now, overdraft: overdraft) else { return false }
        fullAt = max(fullAt ?? now, now).advanced(by: interval)
        return true
    }

    /// Takes a token whether or not there is one — a message that counts toward the limit but is never
    /// refused (a user's inbound message, for the business number's throughput). An empty bucket stays
    /// empty; it does not go into debt, so the limit lifts as soon as the rate drops, as Meta's does.
    public mutating func spend(at now: Instant) {
        let emptyAt = now.advanced(by: interval * capacity)
        fullAt = min(max(fullAt ?? now, now).advanced(by: interval), emptyAt)
    }

    /// The tokens there at `now` (what a test reads).
    public func tokens(at now: Instant) -> Int {
        guard let fullAt, fullAt > now else { return capacity }
        let owed = now.duration(to: fullAt)
        let whole = Int(owed / interval)  // full intervals still owed
        return capacity - whole - (interval * whole < owed ? 1 : 0)
    }

    /// True when the bucket is full at `now` (it can be forgotten: a new one is the same).
    public func isFull(at now: Instant) -> Bool { fullAt.map { $0 <= now } ?? true }
}
