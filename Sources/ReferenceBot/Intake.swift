import Synchronization

/// What the bot counts, for `/health` and the tests.
public struct BotCounts: Sendable {
    public var received = 0, processed = 0, duplicates = 0, rateLimited = 0, badSignature = 0, badRequest = 0
    public var ignoredPhoneMismatch = 0, statuses = 0, replied = 0, sendFailures = 0, outboxOverflow = 0
    /// Messages that waited longer than `BotCounts.lateAfter` in a reply worker's queue: the bot fell behind.
    public var startedLate = 0
    /// The longest a message waited in a queue before its reply was worked on, in milliseconds.
    public var longestQueueWaitMilliseconds = 0

    /// A message that waits longer than this for a reply worker counts as started late: a bot that keeps
    /// up starts a message within milliseconds.
    public static let lateAfter = Duration.milliseconds(100)
}

/// The bot's front door: the dedup store, the per-user rate limit and the counters, under one lock.
///
/// Shared on purpose: owned by the `ReferenceBot`; every webhook connection admits its deliveries here
/// (one lock acquisition per delivery decides dedup and the limit together), and the reply workers count
/// what they sent.
final class Intake: Sendable {
    private struct State {
        var dedup: Deduplicator
        var limiter: RateLimiter
        var counts = BotCounts()
    }
    private let state: Mutex<State>

    init(dedupTTL: Duration, rateLimitPerMinute: Int) {
        state = Mutex(State(dedup: Deduplicator(ttl: dedupTTL), limiter: RateLimiter(limit: rateLimitPerMinute)))
    }

    /// What becomes of a delivery's messages.
    enum Admission {
        /// Over the sender's limit: answer 429 with `Retry-After` (nothing is marked seen, so Meta's retry
        /// after it is processed).
        case rateLimited(retryAfter: Int)
        /// Ack, then answer these (duplicates dropped).
        case accepted([UserMessage])
    }

    /// Decides a delivery's messages at once: duplicates (seen before, or twice in this delivery) are
    /// dropped, a sender over its limit gets the whole delivery refused.
    func admit(_ messages: [UserMessage], now: ContinuousClock.Instant = .now) -> Admission {
        state.withLock { s in
            var fresh: [UserMessage] = []
            for message in messages {
                s.counts.received += 1
                if s.dedup.contains(message.wamid) {
                    s.counts.duplicates += 1
                    continue
                }
                if let retryAfter = s.limiter.admit(message.userKey, now: now) {
                    s.counts.rateLimited += 1
                    return .rateLimited(retryAfter: retryAfter)
                }
                fresh.append(message)
            }
            var accepted: [UserMessage] = []
            for message in fresh {
                guard s.dedup.firstSighting(of: message.wamid, now: now) else {
                    s.counts.duplicates += 1
                    continue
                }
                s.counts.processed += 1
                accepted.append(message)
            }
            return .accepted(accepted)
        }
    }

    /// A reply worker took up a message after it waited `wait` in its queue.
    func started(after wait: Duration) {
        let ms = Int(wait / .milliseconds(1))
        state.withLock { s in
            if wait > BotCounts.lateAfter { s.counts.startedLate += 1 }
            s.counts.longestQueueWaitMilliseconds = max(s.counts.longestQueueWaitMilliseconds, ms)
        }
    }

    /// Adds `n` to one counter.
    func count(_ key: WritableKeyPath<BotCounts, Int>, _ n: Int = 1) { state.withLock { $0.counts[keyPath: key] += n } }

    var counts: BotCounts { state.withLock { $0.counts } }
}
