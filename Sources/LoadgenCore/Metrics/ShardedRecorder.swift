import Synchronization

/// Per-shard metric recorders shared by many virtual users.
///
/// A histogram is ~150 KB, so users do not get one each: user `i` records into shard `i % shards`.
/// Each shard has its own lock, so recording is contended only between users of one shard. `snapshot()`
/// merges the shards for progress lines and the final report.
///
/// Shared on purpose: one per engine run, owned by it; every user records, the timeline sampler reads.
public final class ShardedRecorder: Sendable {
    private struct State {
        var metrics = RunMetrics()
        /// Users (or open-model conversations) of this shard running now.
        var active = 0
    }
    /// One shard's metrics under its own lock.
    ///
    /// Shared on purpose: owned by its recorder; the users of the shard record, the sampler reads.
    private final class Shard: Sendable {
        let state = Mutex(State())
    }
    private let shards: [Shard]

    /// Creates `shards` empty recorders (at least one).
    public init(shards: Int) {
        self.shards = (0..<max(1, shards)).map { _ in Shard() }
    }

    /// Number of shards.
    public var shardCount: Int { shards.count }

    /// Records into the shard of `user`.
    public func record<R>(user: Int, _ body: (inout RunMetrics) -> R) -> R {
        shards[user % shards.count].state.withLock { body(&$0.metrics) }
    }

    /// Counts user `user` as starting (1) or finishing (-1).
    public func countActive(user: Int, _ delta: Int) {
        shards[user % shards.count].state.withLock { $0.active += delta }
    }

    /// Users running now.
    public var activeUsers: Int { shards.reduce(0) { total, shard in total + shard.state.withLock { $0.active } } }

    /// Every shard merged.
    public func snapshot() -> RunMetrics {
        var total = RunMetrics()
        for shard in shards { total.merge(shard.state.withLock { $0.metrics }) }
        return total
    }

    /// The headline figures of every shard merged (see `RunMetrics.mergeHeadline`).
    public func headline() -> RunMetrics {
        var total = RunMetrics()
        for shard in shards { shard.state.withLock { total.mergeHeadline($0.metrics) } }
        return total
    }
}
