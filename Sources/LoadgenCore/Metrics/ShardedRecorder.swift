import Synchronization

/// Per-shard metric recorders shared by many virtual users.
///
/// A histogram is ~150 KB, so users do not get one each: user `i` records into shard `i % shards`.
/// Each shard has its own lock, so recording is contended only between users of one shard. `snapshot()`
/// merges the shards for progress lines and the final report.
public final class ShardedRecorder: Sendable {
    private final class Shard: Sendable {
        let metrics = Mutex(RunMetrics())
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
        shards[user % shards.count].metrics.withLock { body(&$0) }
    }

    /// Every shard merged.
    public func snapshot() -> RunMetrics {
        var total = RunMetrics()
        for shard in shards { total.merge(shard.metrics.withLock { $0 }) }
        return total
    }

    /// The headline figures of every shard merged (see `RunMetrics.mergeHeadline`).
    public func headline() -> RunMetrics {
        var total = RunMetrics()
        for shard in shards { shard.metrics.withLock { total.mergeHeadline($0) } }
        return total
    }
}
