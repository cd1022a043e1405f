import Wire

/// Remembers message ids so a redelivered message is acked but not processed twice.
///
/// Memory is bounded by time and by count: entries older than the TTL, or beyond `capacity` (oldest
/// first), are pruned as new ones arrive, in amortised O(1) (a FIFO of ids in arrival order beside the set).
/// A value: the bot's `Intake` keeps it under its lock.
struct Deduplicator: Sendable {
    private var seen: Set<String> = []
    private var order: [(id: String, at: ContinuousClock.Instant)] = []
    private var head = 0
    private let ttl: Duration
    private let capacity: Int

    init(ttl: Duration, capacity: Int = 200_000) {
        self.ttl = ttl
        self.capacity = max(1, capacity)
    }

    /// Records `id`; returns false if it was already seen within the TTL.
    mutating func firstSighting(of id: String, now: ContinuousClock.Instant = .now) -> Bool {
        while head < order.count, now - order[head].at > ttl || order.count - head >= capacity {
            seen.remove(order[head].id)
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        guard seen.insert(id).inserted else { return false }
        order.append((id, now))
        return true
    }

    /// Whether `id` was seen within the TTL (does not record it).
    func contains(_ id: String) -> Bool { seen.contains(id) }

    /// Ids remembered now.
    var count: Int { seen.count }
}
