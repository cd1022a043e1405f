import Histogram

/// An HDR histogram of latencies in microseconds: 3 significant digits from 1 µs to 120 s.
///
/// Recording is O(1) and allocation-free; two histograms merge exactly (`add`), so per-shard recorders
/// combine into the same numbers as one recorder that saw everything. Values above 120 s are clamped
/// to 120 s and counted in `clamped`, never dropped.
public struct LatencyHistogram: Sendable, Codable, Equatable {
    /// The highest trackable value: 120 s in microseconds.
    public static let highestMicroseconds: UInt64 = 120_000_000

    private var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds, numberOfSignificantValueDigits: .three)
    /// How many values were above the trackable range and recorded as 120 s.
    public private(set) var clamped: UInt64 = 0

    /// An empty histogram.
    public init() {}

    /// Records one latency.
    public mutating func record(_ latency: Duration) {
        let (seconds, attoseconds) = latency.components
        let micros = seconds < 0 ? 0 : UInt64(seconds) &* 1_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000_000)
        record(microseconds: micros)
    }

    /// Records one latency given in microseconds (0 counts as 1 µs, the resolution).
    public mutating func record(microseconds: UInt64) {
        var value = max(1, microseconds)
        if value > Self.highestMicroseconds {
            value = Self.highestMicroseconds
            clamped += 1
        }
        _ = histogram.record(value)
    }

    /// Adds every value of `other` (exact merge).
    public mutating func add(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        clamped += other.clamped
    }

    /// Number of values recorded.
    public var count: UInt64 { histogram.totalCount }

    /// The value at `percentile` (0–100) in milliseconds: the highest value equivalent to the recorded
    /// one at that rank, so a reported percentile is never below the truth. 0 when empty.
    public func milliseconds(atPercentile percentile: Double) -> Double {
        guard count > 0 else { return 0 }
        // At the ends the library returns the raw extremes, which a serialised histogram keeps only to
        // its precision: use the bucket's highest value there too, so a report read back says the same.
        if percentile <= 0 { return Double(histogram.highestEquivalentForValue(histogram.min)) / 1000 }
        if percentile >= 100 { return maxMilliseconds }
        return Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    /// The largest recorded value in milliseconds.
    public var maxMilliseconds: Double { count > 0 ? Double(histogram.max) / 1000 : 0 }

    /// The mean in milliseconds.
    public var meanMilliseconds: Double { count > 0 ? histogram.mean / 1000 : 0 }

    /// The fraction of values above `milliseconds` (for "fewer than 1 % of acks over 1 s"): those not
    /// counted at or below it by `counts(atOrBelow:)`, so a Prometheus bucket at the same edge agrees.
    public func fraction(above milliseconds: Double) -> Double {
        guard count > 0 else { return 0 }
        let atOrBelow = counts(atOrBelow: [UInt64(milliseconds * 1000)])[0]
        return Double(count - min(count, atOrBelow)) / Double(count)
    }

    /// How many values are at or below each edge of `edges` (microseconds, ascending): cumulative
    /// counts, Prometheus' `le` buckets. A value counts at or below an edge only if its whole HDR bucket
    /// does (the bucket's highest value ≤ the edge): the side a percentile rounds to, so a p95 under an
    /// edge and 95 % of the values in that edge's bucket say the same thing. A function of the HDR
    /// buckets alone, so the counts of shards add up to the counts of their merged histogram.
    public func counts(atOrBelow edges: [UInt64]) -> [UInt64] {
        var counts = [UInt64](repeating: 0, count: edges.count)
        var edge = 0
        var below: UInt64 = 0
        for bucket in histogram.recordedValues() {  // ascending; `value` is the bucket's highest value
            while edge < edges.count, bucket.value > edges[edge] {
                counts[edge] = below
                edge += 1
            }
            below += bucket.count
        }
        for i in edge..<edges.count { counts[i] = below }
        return counts
    }

    /// The sum of the values in microseconds, each HDR bucket taken at its middle value as the mean
    /// takes it (`meanMilliseconds` × count, in whole numbers): shards' sums add up exactly. Saturates
    /// at 2^64 − 1 µs (half a million years).
    public var sumMicroseconds: UInt64 {
        var sum: UInt64 = 0
        for bucket in histogram.recordedValues() {
            let (part, overflow) = histogram.medianEquivalentForValue(bucket.value).multipliedReportingOverflow(by: bucket.count)
            let (total, overflowToo) = sum.addingReportingOverflow(part)
            if overflow || overflowToo { return .max }
            sum = total
        }
        return sum
    }

    /// The values recorded here but not in `earlier`, an earlier copy of this histogram (what was
    /// recorded in between: one interval of the timeline). Exact, bucket by bucket.
    public func subtracting(_ earlier: LatencyHistogram) -> LatencyHistogram {
        var result = LatencyHistogram()
        for bucket in histogram.recordedValues() {
            let before = earlier.histogram.count(within: bucket.value...bucket.value)
            if bucket.count > before { _ = result.histogram.record(bucket.value, count: bucket.count - before) }
        }
        result.clamped = clamped - min(clamped, earlier.clamped)
        return result
    }

    /// The HDR percentile distribution in milliseconds: `[percentile, ms]` at 0, 50, 75, 87.5, … (each
    /// step halves the distance to 100) while the rank still holds a value, then 100.
    public var distribution: [[Double]] {
        guard count > 0 else { return [] }
        var points: [[Double]] = []
        var remaining = 1.0
        while remaining * Double(count) >= 1, points.count < 40 {
            let percentile = 100 * (1 - remaining)
            points.append([percentile, milliseconds(atPercentile: percentile)])
            remaining /= 2
        }
        points.append([100, maxMilliseconds])
        return points
    }

    public static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        lhs.histogram == rhs.histogram && lhs.clamped == rhs.clamped
    }

    // Serialised sparsely, so report.json carries every histogram exactly at a few bytes per occupied
    // bucket: `{"clamped": 0, "buckets": [value, count, value, count, …]}` with values in microseconds
    // (each the highest value of its bucket, which records back into the same bucket).
    private enum CodingKeys: String, CodingKey { case clamped, buckets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clamped = try c.decode(UInt64.self, forKey: .clamped)
        let flat = try c.decode([UInt64].self, forKey: .buckets)
        guard flat.count.isMultiple(of: 2) else {
            throw DecodingError.dataCorruptedError(forKey: .buckets, in: c, debugDescription: "buckets must be value, count pairs")
        }
        var total: UInt64 = 0
        for i in stride(from: 0, to: flat.count, by: 2) {
            let (sum, overflow) = total.addingReportingOverflow(flat[i + 1])
            guard !overflow else {
                throw DecodingError.dataCorruptedError(forKey: .buckets, in: c, debugDescription: "the bucket counts add up past 2^64 − 1")
            }
            total = sum
            guard histogram.record(max(1, flat[i]), count: flat[i + 1]) else {
                throw DecodingError.dataCorruptedError(forKey: .buckets, in: c, debugDescription: "value \(flat[i]) µs is out of range")
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clamped, forKey: .clamped)
        var flat: [UInt64] = []
        for bucket in histogram.recordedValues() { flat += [bucket.value, bucket.count] }
        try c.encode(flat, forKey: .buckets)
    }
}

/// A histogram made at its first value: a figure a run may never measure (nil in reports written before
/// it was, or where nothing was there to measure).
extension LatencyHistogram? {
    /// Records one latency, making the histogram first if there is none.
    public mutating func record(_ latency: Duration) {
        if self == nil { self = LatencyHistogram() }
        self!.record(latency)
    }

    /// Adds every value of `other` (nothing when it is nil), exactly.
    public mutating func add(_ other: LatencyHistogram?) {
        guard let other else { return }
        if self == nil { self = other } else { self!.add(other) }
    }
}
