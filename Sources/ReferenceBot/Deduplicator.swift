import Wire
import Synchronization

/// Remembers message ids so a redelivered message is acked but not processed twice.
///
/// Memory is bounded by time and by count: entries older than the TTL, or beyond `capacity` (oldest
/// first), are pruned as new ones arrive, in amortised O(1) (a FIFO of ids in arrival order beside the set).
final class Deduplicator: Sendable {
    private struct State {
        var seen: Set<String> = []
        var order: [(id: String, at: ContinuousClock.Instant)] = []
        var head = 0
    }
    private let ttl: Duration
    private let capacity: Int
    private let state = Mutex(State())

    init(ttl: Duration, capacity: Int = 200_000) {
        self.ttl = ttl
        self.capacity = max(1, capacity)
    }

    /// Records `id`; returns false if it was already seen within the TTL.
    func firstSighting(of id: String, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { s in
            while s.head < s.order.count, now - s.order[s.head].at > ttl || s.order.count - s.head >= capacity {
                s.seen.remove(s.order[s.head].id)
                s.head += 1
            }
            if s.head > 1024, s.head * 2 > s.order.count {
                s.order.removeFirst(s.head)
                s.head = 0
            }
            guard s.seen.insert(id).inserted else { return false }
            s.order.append((id, now))
            return true
        }
    }

    /// Whether `id` was seen within the TTL (does not record it).
    func contains(_ id: String) -> Bool { state.withLock { $0.seen.contains(id) } }

    /// Ids remembered now.
    var count: Int { state.withLock { $0.seen.count } }
}
