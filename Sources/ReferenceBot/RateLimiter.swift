import Wire

/// EasyMO core's per-phone limiter: at most `limit` messages in any sliding window of `window`.
///
/// Each user keeps a ring of its last `limit` timestamps, so a check is O(1) and memory is
/// `limit` instants per active user; idle users are forgotten after a window. A value: the bot's
/// `Intake` keeps it under its lock.
struct RateLimiter: Sendable {
    private struct Ring {
        var times: [ContinuousClock.Instant]
        var next = 0
    }
    private var users: [String: Ring] = [:]
    private var lastPrune = ContinuousClock.now
    private let limit: Int
    private let window: Duration

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Counts one message from `user`; nil if allowed, else the seconds until it would be (Retry-After).
    mutating func admit(_ user: String, now: ContinuousClock.Instant = .now) -> Int? {
        if now - lastPrune > window {
            users = users.filter { _, ring in ring.times.contains { now - $0 < window } }
            lastPrune = now
        }
        var ring = users[user] ?? Ring(times: [])
        if ring.times.count < limit {
            ring.times.append(now)
            users[user] = ring
            return nil
        }
        let oldest = ring.times[ring.next]
        guard now - oldest >= window else {
            let wait = window - (now - oldest)
            return max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
        }
        ring.times[ring.next] = now
        ring.next = (ring.next + 1) % limit
        users[user] = ring
        return nil
    }
}
