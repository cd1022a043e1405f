/// The run interval by interval (one second by default): report.json's `timeline`, the charts of
/// report.html, and what the live progress line shows.
///
/// Each point holds what happened during its interval (turns, errors by class, replies, fallbacks,
/// ack and reply percentiles), not running totals, so a stall or a fault window shows where it happened.
public struct Timeline: Sendable, Codable, Equatable {
    /// Seconds per point.
    public var intervalSeconds: Double
    public var points: [Point]

    public init(intervalSeconds: Double, points: [Point] = []) {
        self.intervalSeconds = intervalSeconds
        self.points = points
    }

    /// One interval.
    public struct Point: Sendable, Codable, Equatable {
        /// Seconds since the start at the end of the interval (the last one may be shorter).
        public var t: Double
        /// Users running at the end of the interval.
        public var activeUsers: Int
        public var turns: UInt64
        public var errors: UInt64
        public var replies: UInt64
        public var fallbacks: UInt64
        /// Only the classes that occurred in the interval.
        public var errorsByClass: [String: UInt64]
        public var ack: Window
        public var reply: Window
        /// The failure patterns whose fault window was open at the end of the interval.
        public var faultsOpen: [String]

        public init(t: Double, activeUsers: Int, turns: UInt64, errors: UInt64, replies: UInt64, fallbacks: UInt64,
                    errorsByClass: [String: UInt64], ack: Window, reply: Window, faultsOpen: [String]) {
            self.t = t
            self.activeUsers = activeUsers
            self.turns = turns
            self.errors = errors
            self.replies = replies
            self.fallbacks = fallbacks
            self.errorsByClass = errorsByClass
            self.ack = ack
            self.reply = reply
            self.faultsOpen = faultsOpen
        }
    }

    /// Latency percentiles of one interval, in milliseconds.
    public struct Window: Sendable, Codable, Equatable {
        public var count: UInt64
        public var p50: Double
        public var p95: Double
        public var p99: Double
        public var max: Double

        public init(_ h: LatencyHistogram) {
            count = h.count
            p50 = h.milliseconds(atPercentile: 50)
            p95 = h.milliseconds(atPercentile: 95)
            p99 = h.milliseconds(atPercentile: 99)
            max = h.maxMilliseconds
        }
    }

    /// Adds the timeline of a shard that ran side by side with this one: points at the same time add
    /// their counts and users; percentiles take the larger of the two, an upper bound (the exact
    /// per-run percentiles come from the merged histograms, not from the timeline).
    public mutating func merge(_ other: Timeline) {
        var byTime = Dictionary(points.map { (($0.t * 1000).rounded(), $0) }) { a, _ in a }
        for p in other.points {
            let key = (p.t * 1000).rounded()
            guard var mine = byTime[key] else { byTime[key] = p; continue }
            // Saturating: a crafted timeline must not trap a merge (its totals are refused by the merge itself).
            mine.activeUsers = mine.activeUsers.saturatingAdd(p.activeUsers)
            mine.turns = mine.turns.saturatingAdd(p.turns)
            mine.errors = mine.errors.saturatingAdd(p.errors)
            mine.replies = mine.replies.saturatingAdd(p.replies)
            mine.fallbacks = mine.fallbacks.saturatingAdd(p.fallbacks)
            mine.errorsByClass.merge(p.errorsByClass) { $0.saturatingAdd($1) }
            mine.ack = mine.ack.upperBound(p.ack)
            mine.reply = mine.reply.upperBound(p.reply)
            mine.faultsOpen = Array(Set(mine.faultsOpen).union(p.faultsOpen)).sorted()
            byTime[key] = mine
        }
        points = byTime.keys.sorted().map { byTime[$0]! }
    }
}

extension Timeline.Window {
    func upperBound(_ o: Self) -> Self {
        var w = self
        w.count = w.count.saturatingAdd(o.count)
        w.p50 = Swift.max(p50, o.p50)
        w.p95 = Swift.max(p95, o.p95)
        w.p99 = Swift.max(p99, o.p99)
        w.max = Swift.max(max, o.max)
        return w
    }
}

/// Builds a timeline from successive snapshots of the running totals (`RunMetrics.mergeHeadline`
/// figures): each point is the difference from the previous snapshot, histograms included, exactly.
public struct TimelineSampler: Sendable {
    private var previous = RunMetrics()
    public private(set) var timeline: Timeline

    public init(interval: Duration) {
        timeline = Timeline(intervalSeconds: interval.inSeconds)
    }

    /// Appends the interval that ends at `elapsed`, given the totals so far; returns the new point.
    @discardableResult
    public mutating func sample(_ totals: RunMetrics, at elapsed: Duration, activeUsers: Int, faultsOpen: [String]) -> Timeline.Point {
        let span = totals.headline(since: previous)
        let errors = Dictionary(uniqueKeysWithValues: span.errorsByClass.filter { $0.1 > 0 }.map { ($0.0.rawValue, $0.1) })
        let point = Timeline.Point(
            t: (elapsed.inSeconds * 1000).rounded() / 1000, activeUsers: activeUsers, turns: span.turns, errors: span.errorTurns,
            replies: span.replies, fallbacks: span.fallbackReplies, errorsByClass: errors, ack: .init(span.ack), reply: .init(span.reply),
            faultsOpen: faultsOpen)
        timeline.points.append(point)
        previous = totals
        return point
    }
}

extension FixedWidthInteger {
    /// `self + other`, or the largest value when that would overflow.
    func saturatingAdd(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
