/// How often a run's bot hit each of Meta's limits (report.json `graphLimits`, present only when
/// `--graph-limits` was on): sends refused with 131056 (pair rate) or 130429 (throughput), sends accepted
/// and then failed with 131056 (just past the pair bucket) or 131047 (outside the 24-hour window).
public struct GraphLimitCounts: Sendable, Codable, Equatable {
    /// 131056 refused on the spot.
    public var pairRate: UInt64 = 0
    /// 131056 in a `failed` status.
    public var pairRateFailed: UInt64 = 0
    public var throughput: UInt64 = 0
    public var window: UInt64 = 0

    public init(pairRate: UInt64 = 0, pairRateFailed: UInt64 = 0, throughput: UInt64 = 0, window: UInt64 = 0) {
        self.pairRate = pairRate
        self.pairRateFailed = pairRateFailed
        self.throughput = throughput
        self.window = window
    }

    /// Every hit.
    public var total: UInt64 { pairRate + pairRateFailed + throughput + window }

    /// Adds another shard's hits.
    public mutating func merge(_ other: GraphLimitCounts) {
        pairRate += other.pairRate
        pairRateFailed += other.pairRateFailed
        throughput += other.throughput
        window += other.window
    }
}
