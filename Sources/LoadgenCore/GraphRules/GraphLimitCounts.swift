/// How often a run's bot hit each of Meta's limits (report.json `graphLimits`, present only when
/// `--graph-limits` was on): sends refused with 131056 (pair rate) or 130429 (throughput), and
/// free-form sends accepted and then failed with 131047 (outside the 24-hour window).
public struct GraphLimitCounts: Sendable, Codable, Equatable {
    public var pairRate: UInt64 = 0
    public var throughput: UInt64 = 0
    public var window: UInt64 = 0

    public init(pairRate: UInt64 = 0, throughput: UInt64 = 0, window: UInt64 = 0) {
        self.pairRate = pairRate
        self.throughput = throughput
        self.window = window
    }

    /// Every hit.
    public var total: UInt64 { pairRate + throughput + window }

    /// Adds another shard's hits.
    public mutating func merge(_ other: GraphLimitCounts) {
        pairRate += other.pairRate
        throughput += other.throughput
        window += other.window
    }
}
